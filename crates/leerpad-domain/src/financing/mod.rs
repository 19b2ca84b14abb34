//! The financing overview (regelingen): schemes, their eligibility rules as data, and the
//! check that turns a gross price into what a person really pays.
//!
//! A programme manager writes a [`SchemeDefinition`] (in TOML or JSON); [`validate_scheme`]
//! rejects what cannot be right before it is saved. [`SchemeBook`] holds the published schemes
//! in stacking order and answers, for a person and an offer, which schemes pay how much and why
//! the others do not.

pub mod check;
pub mod person;
pub mod ports;
pub mod rules;
pub mod scheme;

#[cfg(test)]
mod tests;

pub use check::{
    AmountLimit, AppliedScheme, BookEntry, CheckContext, EligibilityVerdict, NotApplied,
    OfferFinancing, PersonScheme, PossibleScheme, PreparedPerson, RejectedScheme, SchemeBook,
};
pub use person::{EducationLevel, EmploymentStatus, InsuredWork, PersonFacts, PriorAward, Sector};
pub use rules::{
    Condition, MissingFact, NoSkillLists, OfferFacts, RuleContext, SkillLists, Unmet, Verdict,
    validate_condition,
};
pub use scheme::{
    Application, Benefit, BudgetLimits, BudgetUse, Coverage, Funder, FunderKind, Payment, Period,
    Scheme, SchemeDefinition, SchemeStatus, Stacking, YearlyDeposit,
};

use crate::shared::{FieldError, Money};

/// A slug names a scheme in URLs and in other schemes' exclusions: lowercase letters, digits
/// and dashes, 3 to 60 long.
pub fn validate_slug(slug: &str) -> Result<(), FieldError> {
    let ok = (3..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "slug",
            format!(
                "'{}' is not a valid short name: use 3 to 60 lowercase letters, digits and dashes",
                slug.chars().take(60).collect::<String>()
            ),
        )
        .coded("slug", Vec::new()))
    }
}

/// The first control character in `text` that has no place there. In `multiline` text, line
/// breaks (LF, or CR LF) and tabs are allowed; elsewhere no control character is.
pub fn stray_control_char(text: &str, multiline: bool) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_control() {
            continue;
        }
        let allowed = multiline
            && match c {
                '\n' | '\t' => true,
                '\r' => chars.peek() == Some(&'\n'),
                _ => false,
            };
        if !allowed {
            return Some(c);
        }
    }
    None
}

/// Every problem with a scheme definition, each with the field it is in. `own_slug` and
/// `known_slugs` check the exclusions.
pub fn validate_scheme(
    def: &SchemeDefinition,
    own_slug: &str,
    known_slugs: &[String],
    ctx: &RuleContext<'_>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    // Each problem has a code, so pages can say it in the reader's language.
    let mut err =
        |field: &str, code: &'static str, args: Vec<(&'static str, String)>, message: String| {
            errors.push(FieldError::new(field, message).coded(code, args))
        };
    if def.name.is_empty() {
        err(
            "name",
            "name-missing",
            vec![],
            "give the scheme a name in Dutch or English".into(),
        );
    }
    if def.name.nl.chars().count() > 200 || def.name.en.chars().count() > 200 {
        err(
            "name",
            "name-long",
            vec![],
            "a name can be at most 200 characters".into(),
        );
    }
    if def.description.nl.len() > 20_000 || def.description.en.len() > 20_000 {
        err(
            "description",
            "description-long",
            vec![],
            "a description can be at most 20,000 bytes".into(),
        );
    }
    if def.funder.name.trim().is_empty() {
        err(
            "funder.name",
            "funder-missing",
            vec![],
            "say who funds the scheme".into(),
        );
    }
    // Free text is shown on pages and in exports: no control characters (NUL, escape, …);
    // descriptions may have line breaks and tabs.
    let texts: [(&str, &str, bool); 6] = [
        ("name.nl", def.name.nl.as_str(), false),
        ("name.en", def.name.en.as_str(), false),
        ("description.nl", def.description.nl.as_str(), true),
        ("description.en", def.description.en.as_str(), true),
        ("funder.name", def.funder.name.as_str(), false),
        (
            "application.url",
            def.application.url.as_deref().unwrap_or(""),
            false,
        ),
    ];
    for (field, text, multiline) in texts {
        if let Some(c) = stray_control_char(text, multiline) {
            err(
                field,
                "control-character",
                vec![],
                format!(
                    "contains the control character U+{:04X}; {}",
                    u32::from(c),
                    if multiline {
                        "only line breaks and tabs are allowed"
                    } else {
                        "use plain text on one line"
                    }
                ),
            );
        }
    }
    if let (Some(from), Some(until)) = (def.period.from, def.period.until)
        && from > until
    {
        err(
            "period",
            "period-reversed",
            vec![],
            "the period ends before it starts".into(),
        );
    }
    let cov = &def.coverage;
    if cov.percent > 100 {
        err(
            "coverage.percent",
            "percent-over-100",
            vec![("percent", cov.percent.to_string())],
            format!("{} is more than 100 percent", cov.percent),
        );
    }
    if cov.own_contribution_percent > 100 {
        err(
            "coverage.own_contribution_percent",
            "percent-over-100",
            vec![("percent", cov.own_contribution_percent.to_string())],
            format!("{} is more than 100 percent", cov.own_contribution_percent),
        );
    }
    for (field, value) in [
        ("coverage.fixed_amount_cents", cov.fixed_amount_cents),
        ("coverage.max_per_award_cents", cov.max_per_award_cents),
        (
            "coverage.max_per_person_per_year_cents",
            cov.max_per_person_per_year_cents,
        ),
        ("budget.total_cents", def.budget.total_cents),
        (
            "yearly_deposit.amount_cents",
            def.yearly_deposit.as_ref().map(|d| d.amount_cents),
        ),
        (
            "yearly_deposit.ceiling_cents",
            def.yearly_deposit.as_ref().and_then(|d| d.ceiling_cents),
        ),
    ] {
        if let Some(v) = value
            && v <= Money::ZERO
        {
            err(
                field,
                "amount-not-positive",
                vec![],
                "must be more than 0 (leave it out for no limit)".into(),
            );
        }
    }
    if let Some(d) = &def.yearly_deposit
        && d.ceiling_cents.is_some_and(|c| c < d.amount_cents)
    {
        err(
            "yearly_deposit.ceiling_cents",
            "deposit-ceiling-below-amount",
            vec![],
            "the ceiling cannot be below the yearly amount".into(),
        );
    }
    if cov.own_contribution_cents.is_negative() {
        err(
            "coverage.own_contribution_cents",
            "amount-negative",
            vec![],
            "cannot be negative".into(),
        );
    }
    if cov.percent == 0 && cov.fixed_amount_cents.is_none() {
        err(
            "coverage.percent",
            "pays-nothing",
            vec![],
            "a scheme that pays 0 percent and no fixed amount pays nothing".into(),
        );
    }
    if def.budget.max_awards_per_offer == Some(0) {
        err(
            "budget.max_awards_per_offer",
            "cap-zero",
            vec![],
            "must be at least 1 (leave it out for no limit)".into(),
        );
    }
    for (i, other) in def.stacking.excludes.iter().enumerate() {
        let field = format!("stacking.excludes[{i}]");
        if other == own_slug {
            err(
                &field,
                "excludes-itself",
                vec![],
                "a scheme cannot exclude itself".into(),
            );
        } else if !known_slugs.iter().any(|s| s == other) {
            err(
                &field,
                "unknown-scheme",
                vec![("scheme", other.clone())],
                format!("there is no scheme '{other}'"),
            );
        }
    }
    if let Some(url) = &def.application.url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        err(
            "application.url",
            "link-scheme",
            vec![],
            "a link must start with https://".into(),
        );
    }
    validate_condition(&def.eligibility, "eligibility", ctx, &mut errors);
    errors
}

//! Validation of an offer: the steps in the order of the offer's fields (texts, kind and
//! level, costs, study load, languages, skills), and the draft they build together.

use super::errors::{Errors, clip};
use super::provider::validate_provider_fields;
use super::runs::{runs, schedule};
use super::{
    Checks, CostInput, MAX_AMOUNT_CENTS, MAX_COSTS, MAX_DESCRIPTION, MAX_ID, MAX_SKILLS,
    MAX_SUMMARY, MAX_TITLE, OfferInput, ProviderDraft,
};
use crate::catalogue::model::*;
use crate::shared::{FieldError, Localized, Money};

/// A validated offer, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferDraft {
    pub provider: Option<ProviderDraft>,
    pub provider_offer_id: String,
    pub content: OfferContent,
}

/// Check an offer and turn it into a draft, or list everything wrong with it.
pub fn validate_offer(
    input: &OfferInput,
    checks: &Checks<'_>,
) -> Result<OfferDraft, Vec<FieldError>> {
    // The steps run in the order of the offer's fields, so the errors come out in that order.
    let mut errors = Errors(Vec::new());
    let provider = input
        .provider
        .as_ref()
        .and_then(|p| validate_provider_fields(p, &mut errors));
    let provider_offer_id = offer_id(&input.provider_offer_id, &mut errors);
    let texts = offer_texts(input, &mut errors);
    let class = classification(input, &mut errors);
    let runs = runs(&input.runs, class.modality, checks, &mut errors);
    let schedule = schedule(input, &runs, &mut errors);
    let costs = costs(&input.costs, &mut errors);
    let study_load_hours = study_load(input.study_load_hours, &mut errors);
    let languages = languages(&input.languages, &mut errors);
    let credential = errors.choice_or(
        "credential",
        input.credential.as_deref(),
        Credential::None,
        Credential::identifiers,
    );
    let skills = skills(&input.skills, checks, &mut errors);
    let status = errors.choice_or(
        "status",
        input.status.as_deref(),
        OfferStatus::Published,
        OfferStatus::identifiers,
    );

    match (class.kind, class.modality, schedule, credential, status) {
        (Some(kind), Some(modality), Some(schedule), Some(credential), Some(status))
            if errors.0.is_empty() =>
        {
            Ok(OfferDraft {
                provider,
                provider_offer_id,
                content: OfferContent {
                    title: texts.title,
                    summary: texts.summary,
                    description: texts.description,
                    kind,
                    level: class.level,
                    nlqf: class.nlqf.or(class.level.map(Level::typical_nlqf)),
                    crebo: class.crebo,
                    croho: class.croho,
                    modality,
                    schedule,
                    runs,
                    costs,
                    study_load_hours,
                    languages,
                    credential,
                    skills,
                    status,
                },
            })
        }
        _ => Err(errors.0),
    }
}

fn offer_id(raw: &str, errors: &mut Errors) -> String {
    let id = errors.text("provider_offer_id", Some(raw), MAX_ID);
    if id.is_empty() {
        errors.coded(
            "provider_offer_id",
            "required: the provider's own id of the offer",
            "catalogue-error-id-required",
            Vec::new(),
        );
    }
    id
}

struct OfferTexts {
    title: Localized,
    summary: Localized,
    description: Localized,
}

/// Title, summary and description; a title in at least one language.
fn offer_texts(input: &OfferInput, errors: &mut Errors) -> OfferTexts {
    let title = errors.localized("title", &input.title, MAX_TITLE);
    if title.is_empty() {
        errors.coded(
            "title",
            "required: a Dutch (title.nl) or English (title.en) title",
            "catalogue-error-title-required",
            Vec::new(),
        );
    }
    let summary = errors.localized("summary", &input.summary, MAX_SUMMARY);
    let description = errors.localized("description", &input.description, MAX_DESCRIPTION);
    OfferTexts {
        title,
        summary,
        description,
    }
}

/// What kind of offer it is: `None` where the value was wrong (and reported).
struct Classification {
    kind: Option<OfferKind>,
    level: Option<Level>,
    nlqf: Option<u8>,
    crebo: Option<String>,
    croho: Option<String>,
    modality: Option<Modality>,
}

fn classification(input: &OfferInput, errors: &mut Errors) -> Classification {
    let kind = errors.choice::<OfferKind>("kind", &input.kind, OfferKind::identifiers);
    let level = input
        .level
        .as_deref()
        .filter(|l| !l.trim().is_empty())
        .and_then(|l| errors.choice::<Level>("level", l, Level::identifiers));
    let nlqf = nlqf(input.nlqf, errors);
    let crebo = errors.code5("crebo", input.crebo.as_deref());
    let croho = errors.code5("croho", input.croho.as_deref());
    let modality = errors.choice::<Modality>("modality", &input.modality, Modality::identifiers);
    Classification {
        kind,
        level,
        nlqf,
        crebo,
        croho,
        modality,
    }
}

fn nlqf(raw: Option<i64>, errors: &mut Errors) -> Option<u8> {
    match raw {
        Some(n) if (1..=8).contains(&n) => Some(n as u8),
        Some(n) => {
            errors.add("nlqf", format!("{n} is not an NLQF level (1 to 8)"));
            None
        }
        None => None,
    }
}

/// The first [`MAX_COSTS`] cost lines; a line of an unknown kind is left out.
fn costs(input: &[CostInput], errors: &mut Errors) -> Vec<CostLine> {
    if input.len() > MAX_COSTS {
        errors.add("costs", format!("at most {MAX_COSTS} cost lines"));
    }
    input
        .iter()
        .take(MAX_COSTS)
        .enumerate()
        .filter_map(|(i, c)| cost_line(i, c, errors))
        .collect()
}

fn cost_line(i: usize, c: &CostInput, errors: &mut Errors) -> Option<CostLine> {
    let kind =
        errors.choice::<CostKind>(&format!("costs[{i}].kind"), &c.kind, CostKind::identifiers);
    if !(0..=MAX_AMOUNT_CENTS).contains(&c.amount_cents.cents()) {
        errors.coded(
            format!("costs[{i}].amount_cents"),
            format!(
                "{} is not an amount between 0 and {MAX_AMOUNT_CENTS} cents",
                c.amount_cents
            ),
            "catalogue-error-amount",
            Vec::new(),
        );
    }
    let vat = c.vat_percent.unwrap_or(0);
    if !matches!(vat, 0 | 9 | 21) {
        errors.coded(
            format!("costs[{i}].vat_percent"),
            format!("{vat} is not a Dutch VAT rate (0, 9 or 21)"),
            "catalogue-error-vat",
            Vec::new(),
        );
    }
    Some(CostLine {
        kind: kind?,
        amount_cents: Money::from_cents(c.amount_cents.cents().clamp(0, MAX_AMOUNT_CENTS)),
        vat_percent: vat.clamp(0, 21) as u8,
        required: c.required.unwrap_or(true),
    })
}

fn study_load(raw: Option<i64>, errors: &mut Errors) -> Option<u32> {
    match raw {
        Some(h) if (1..=20_000).contains(&h) => Some(h as u32),
        Some(h) => {
            errors.coded(
                "study_load_hours",
                format!("{h} is not a study load in hours (1 to 20000)"),
                "catalogue-error-hours",
                Vec::new(),
            );
            None
        }
        None => None,
    }
}

/// Two-letter codes, lower case and without repeats; Dutch when none are given.
fn languages(input: &[String], errors: &mut Errors) -> Vec<String> {
    let mut languages = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let code = l.trim().to_ascii_lowercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
            if !languages.contains(&code) {
                languages.push(code);
            }
        } else {
            errors.coded(
                format!("languages[{i}]"),
                format!(
                    "'{}' is not a two-letter language code (nl, en, …)",
                    clip(l)
                ),
                "catalogue-error-language",
                vec![("value", clip(l))],
            );
        }
    }
    if languages.is_empty() {
        languages.push("nl".to_owned());
    }
    languages
}

/// The first [`MAX_SKILLS`] skills, as canonical ESCO URIs without repeats.
fn skills(input: &[String], checks: &Checks<'_>, errors: &mut Errors) -> Vec<OfferSkill> {
    if input.len() > MAX_SKILLS {
        errors.add("skills", format!("at most {MAX_SKILLS} skills"));
    }
    let mut skills: Vec<OfferSkill> = Vec::new();
    for (i, s) in input.iter().take(MAX_SKILLS).enumerate() {
        match (checks.skill_uri)(s.trim()) {
            Some(uri) => {
                if !skills.iter().any(|k| k.uri == uri) {
                    skills.push(OfferSkill {
                        uri,
                        source: SkillSource::Provider,
                    });
                }
            }
            None => errors.add(
                format!("skills[{i}]"),
                format!("'{}' is not an ESCO skill URI", clip(s)),
            ),
        }
    }
    skills
}

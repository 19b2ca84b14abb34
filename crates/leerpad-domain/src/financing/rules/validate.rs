//! Validation of a rule before it is saved: limits on its size and depth, and every leaf
//! checked against the known places, skill lists and value ranges, each problem with its path.

use super::{Condition, SkillLists};
use crate::catalogue::model::{Accreditation, Level, Modality, OfferKind};
use crate::financing::person::{EmploymentStatus, Sector};
use crate::regions::Regions;
use crate::shared::FieldError;

/// A problem's arguments for its translation.
type Args = Vec<(&'static str, String)>;

/// Limits that keep a rule small enough to read and fast to evaluate.
pub const MAX_RULE_DEPTH: usize = 8;
pub const MAX_RULE_NODES: usize = 200;

/// What validation needs to know about the world outside the rule.
pub struct RuleContext<'a> {
    pub regions: &'a Regions,
    pub skill_lists: &'a dyn SkillLists,
}

/// Check a rule; every problem is reported with its path (`eligibility.all[1].age`).
pub fn validate_condition(
    cond: &Condition,
    path: &str,
    ctx: &RuleContext<'_>,
    errors: &mut Vec<FieldError>,
) {
    let mut nodes = 0usize;
    walk(cond, path, 1, ctx, errors, &mut nodes);
    if nodes > MAX_RULE_NODES {
        errors.push(
            FieldError::new(
                path.to_owned(),
                format!("the rule has {nodes} conditions; at most {MAX_RULE_NODES} are allowed"),
            )
            .coded("rule-too-big", vec![("max", MAX_RULE_NODES.to_string())]),
        );
    }
}

fn walk(
    cond: &Condition,
    path: &str,
    depth: usize,
    ctx: &RuleContext<'_>,
    errors: &mut Vec<FieldError>,
    nodes: &mut usize,
) {
    *nodes += 1;
    // Each problem has a code, so pages can say it in the reader's language.
    let mut err = |field: String, code: &'static str, args: Args, message: String| {
        errors.push(FieldError::new(field, message).coded(code, args))
    };
    if depth > MAX_RULE_DEPTH {
        err(
            path.to_owned(),
            "rule-too-deep",
            vec![],
            format!("conditions are nested more than {MAX_RULE_DEPTH} deep; simplify the rule"),
        );
        return;
    }
    let empty_list = |name: &str| format!("{path}.{name}");
    match cond {
        Condition::All(parts) | Condition::Any(parts) => {
            let name = if matches!(cond, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            if matches!(cond, Condition::Any(_)) && parts.is_empty() {
                err(
                    empty_list(name),
                    "any-empty",
                    vec![],
                    "'any' needs at least one condition (an empty 'any' can never be met)".into(),
                );
            }
            for (i, part) in parts.iter().enumerate() {
                walk(
                    part,
                    &format!("{path}.{name}[{i}]"),
                    depth + 1,
                    ctx,
                    errors,
                    nodes,
                );
            }
        }
        Condition::Not(inner) => walk(inner, &format!("{path}.not"), depth + 1, ctx, errors, nodes),
        Condition::Age { min, max, .. } => {
            let field = format!("{path}.age");
            match (min, max) {
                (None, None) => err(
                    field,
                    "age-none",
                    vec![],
                    "give a minimum age, a maximum age or both".into(),
                ),
                (Some(lo), Some(hi)) if lo > hi => err(
                    field,
                    "age-reversed",
                    vec![("min", lo.to_string()), ("max", hi.to_string())],
                    format!("the minimum age {lo} is above the maximum age {hi}"),
                ),
                _ if min.unwrap_or(0) > 120 || max.unwrap_or(0) > 120 => err(
                    field,
                    "age-implausible",
                    vec![],
                    "ages above 120 are not plausible".into(),
                ),
                _ => {}
            }
        }
        Condition::Employment(v) if v.is_empty() => err(
            empty_list("employment"),
            "list-empty",
            vec![],
            format!("name at least one of: {}", EmploymentStatus::identifiers()),
        ),
        Condition::Sector(v) if v.is_empty() => err(
            empty_list("sector"),
            "list-empty",
            vec![],
            format!("name at least one of: {}", Sector::identifiers()),
        ),
        Condition::OfferKind(v) if v.is_empty() => err(
            empty_list("offer_kind"),
            "list-empty",
            vec![],
            format!("name at least one of: {}", OfferKind::identifiers()),
        ),
        Condition::OfferLevel(v) if v.is_empty() => err(
            empty_list("offer_level"),
            "list-empty",
            vec![],
            format!("name at least one of: {}", Level::identifiers()),
        ),
        Condition::Modality(v) if v.is_empty() => err(
            empty_list("modality"),
            "list-empty",
            vec![],
            format!("name at least one of: {}", Modality::identifiers()),
        ),
        Condition::Accreditation(v) if v.is_empty() => err(
            empty_list("accreditation"),
            "list-empty",
            vec![],
            format!("name at least one of: {}", Accreditation::identifiers()),
        ),
        Condition::Province(v) => check_places(
            v,
            &empty_list("province"),
            "province",
            ctx.regions.provinces(),
            &mut err,
        ),
        Condition::Region(v) => check_places(
            v,
            &empty_list("region"),
            "labour-market region",
            ctx.regions.regions(),
            &mut err,
        ),
        Condition::Municipality(v) => {
            let field = empty_list("municipality");
            if v.is_empty() {
                err(
                    field.clone(),
                    "list-empty",
                    vec![],
                    "name at least one municipality".into(),
                );
            }
            for (i, m) in v.iter().enumerate() {
                if ctx.regions.municipality(m).is_none() {
                    err(
                        format!("{field}[{i}]"),
                        "place-unknown",
                        vec![("place", m.clone())],
                        format!("'{m}' is not a Dutch municipality name or CBS code (GM0000)"),
                    );
                }
            }
        }
        Condition::InsuredMonths {
            at_least,
            within_months,
        } => {
            let field = empty_list("insured_months");
            if *within_months == 0 || *within_months > 120 {
                err(
                    field,
                    "insured-window",
                    vec![],
                    "within_months must be between 1 and 120".into(),
                );
            } else if at_least > within_months {
                err(
                    field,
                    "insured-more-than-window",
                    vec![
                        ("months", at_least.to_string()),
                        ("window", within_months.to_string()),
                    ],
                    format!(
                        "at_least ({at_least}) cannot be more than the window of {within_months} months"
                    ),
                );
            }
        }
        Condition::NotUsedBefore {
            within_months: Some(0),
        } => err(
            empty_list("not_used_before"),
            "not-used-zero",
            vec![],
            "within_months must be at least 1 (leave it out for 'never before')".into(),
        ),
        Condition::Price {
            min_cents,
            max_cents,
        } => {
            let field = empty_list("price");
            match (min_cents, max_cents) {
                (None, None) => err(
                    field,
                    "price-none",
                    vec![],
                    "give min_cents, max_cents or both".into(),
                ),
                (Some(lo), _) | (_, Some(lo)) if lo.is_negative() => err(
                    field,
                    "amount-negative",
                    vec![],
                    "prices cannot be negative".into(),
                ),
                (Some(lo), Some(hi)) if lo > hi => err(
                    field,
                    "price-reversed",
                    vec![],
                    format!("min_cents {lo} is above max_cents {hi}"),
                ),
                _ => {}
            }
        }
        Condition::SkillsOnList { list, min } => {
            let field = empty_list("skills_on_list");
            if !ctx.skill_lists.has_list(list) {
                err(
                    field.clone(),
                    "skill-list-unknown",
                    vec![("list", list.clone())],
                    format!("there is no skill list called '{list}'"),
                );
            }
            if *min == 0 {
                err(field, "cap-zero", vec![], "min must be at least 1".into());
            }
        }
        Condition::Skills { any_of, min } => {
            let field = empty_list("skills");
            if any_of.is_empty() || *min == 0 {
                err(
                    field.clone(),
                    "skills-empty",
                    vec![],
                    "name at least one ESCO skill and a min of at least 1".into(),
                );
            }
            for (i, uri) in any_of.iter().enumerate() {
                if !uri.starts_with("http://data.europa.eu/esco/skill/")
                    || uri.chars().any(|c| c.is_control() || c.is_whitespace())
                {
                    err(
                        format!("{field}.any_of[{i}]"),
                        "skill-uri",
                        vec![],
                        format!("'{uri}' is not an ESCO skill URI"),
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_places(
    names: &[String],
    field: &str,
    what: &str,
    known: &[String],
    err: &mut impl FnMut(String, &'static str, Args, String),
) {
    if names.is_empty() {
        err(
            field.to_owned(),
            "list-empty",
            vec![],
            format!("name at least one {what}"),
        );
    }
    for (i, name) in names.iter().enumerate() {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
            err(
                format!("{field}[{i}]"),
                "place-unknown",
                vec![("place", name.clone())],
                format!("'{name}' is not a known {what}"),
            );
        }
    }
}

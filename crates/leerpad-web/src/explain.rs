//! Financing outcomes and rules in words: every reason a scheme does not apply, every missing
//! answer and every condition of a rule, in plain Dutch or English from the translation files.

use crate::i18n::Lang;
use leerpad_domain::financing::{AmountLimit, Condition, MissingFact, NotApplied, Unmet};
use leerpad_domain::shared::Money;

fn list<T>(lang: Lang, items: &[T], key: impl Fn(&T) -> String) -> String {
    let words: Vec<String> = items
        .iter()
        .map(|i| mid_sentence(&lang.t(&key(i))))
        .collect();
    join(lang, words)
}

/// A label as it reads inside a sentence: "Cursus" becomes "cursus", an acronym ("MBO") stays.
fn mid_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_owned(),
    }
}

fn join(lang: Lang, mut words: Vec<String>) -> String {
    match words.len() {
        0 => String::new(),
        1 => words.remove(0),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} {} {last}", words.join(", "), lang.t("word-or"))
        }
    }
}

fn money(lang: Lang, cents: Money) -> String {
    cents.format_euros(lang.code())
}

/// Why a condition was not met, as one sentence.
pub fn unmet(lang: Lang, u: &Unmet) -> String {
    let code = lang.code();
    match u {
        Unmet::TooYoung { min, age } => lang.t_args(
            "why-too-young",
            &[("min", min.to_string()), ("age", age.to_string())],
        ),
        Unmet::TooOld { max, age } => lang.t_args(
            "why-too-old",
            &[("max", max.to_string()), ("age", age.to_string())],
        ),
        Unmet::Employment { allowed, .. } => lang.t_args(
            "why-employment",
            &[(
                "allowed",
                list(lang, allowed, |e| format!("employment-{e}")),
            )],
        ),
        Unmet::EducationTooHigh { max, .. } => lang.t_args(
            "why-education-too-high",
            &[("max", lang.t(&format!("education-{max}")))],
        ),
        Unmet::EducationTooLow { min, .. } => lang.t_args(
            "why-education-too-low",
            &[("min", lang.t(&format!("education-{min}")))],
        ),
        Unmet::Province { allowed, .. }
        | Unmet::Region { allowed, .. }
        | Unmet::Municipality { allowed, .. } => {
            lang.t_args("why-place", &[("allowed", join(lang, allowed.clone()))])
        }
        Unmet::Sector { allowed, .. } => lang.t_args(
            "why-sector",
            &[("allowed", list(lang, allowed, |s| format!("sector-{s}")))],
        ),
        Unmet::InsuredMonths {
            at_least,
            within_months,
        } => lang.t_args(
            "why-insured-months",
            &[
                ("months", at_least.to_string()),
                ("window", within_months.to_string()),
            ],
        ),
        Unmet::UsedBefore {
            within_months,
            last,
        } => match within_months {
            Some(m) => lang.t_args(
                "why-used-before-within",
                &[
                    ("months", m.to_string()),
                    ("last", crate::pages::long_date_in(*last, lang)),
                ],
            ),
            None => lang.t("why-used-before"),
        },
        Unmet::OfferKind { allowed, .. } => lang.t_args(
            "why-offer-kind",
            &[("allowed", list(lang, allowed, |k| format!("kind-{k}")))],
        ),
        Unmet::OfferLevel { allowed, .. } => lang.t_args(
            "why-offer-level",
            &[("allowed", list(lang, allowed, |l| format!("level-{l}")))],
        ),
        Unmet::Modality { allowed, .. } => lang.t_args(
            "why-modality",
            &[("allowed", list(lang, allowed, |m| format!("modality-{m}")))],
        ),
        Unmet::PriceTooLow { min_cents, .. } => lang.t_args(
            "why-price-too-low",
            &[("min", min_cents.format_euros(code))],
        ),
        Unmet::PriceTooHigh { max_cents, .. } => lang.t_args(
            "why-price-too-high",
            &[("max", max_cents.format_euros(code))],
        ),
        Unmet::Accreditation { allowed } => lang.t_args(
            "why-accreditation",
            &[(
                "allowed",
                join(lang, allowed.iter().map(|a| a.to_string()).collect()),
            )],
        ),
        Unmet::SkillsOnList {
            list: name, min, ..
        } => lang.t_args(
            "why-skills-on-list",
            &[("list", list_name(lang, name)), ("min", min.to_string())],
        ),
        Unmet::Skills { min, .. } => lang.t_args("why-skills", &[("min", min.to_string())]),
        Unmet::CreboRegistered { required: true } => lang.t("why-crebo-required"),
        Unmet::CreboRegistered { required: false } => lang.t("why-crebo-excluded"),
        Unmet::Excluded { condition } => lang.t_args(
            "why-excluded",
            &[("condition", condition_text(lang, condition))],
        ),
        Unmet::NoneOf { options } => {
            let parts: Vec<String> = options
                .iter()
                .map(|o| {
                    o.iter()
                        .map(|u| unmet(lang, u))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            lang.t_args("why-none-of", &[("options", parts.join(" / "))])
        }
    }
}

fn list_name(lang: Lang, list: &str) -> String {
    lang.try_t_args(&format!("skill-list-{list}"), &[])
        .unwrap_or_else(|| list.to_owned())
}

/// Why a scheme gives nothing.
pub fn not_applied(
    lang: Lang,
    why: &NotApplied,
    titles: &std::collections::HashMap<String, String>,
) -> String {
    match why {
        NotApplied::Ineligible { unmet: reasons } => reasons
            .iter()
            .map(|u| unmet(lang, u))
            .collect::<Vec<_>>()
            .join(" "),
        NotApplied::OutsidePeriod { from, until } => lang.t_args(
            "why-period",
            &[
                ("from", from.clone().unwrap_or_else(|| "…".into())),
                ("until", until.clone().unwrap_or_else(|| "…".into())),
            ],
        ),
        NotApplied::Closed => lang.t("why-closed"),
        NotApplied::BudgetExhausted => lang.t("why-budget"),
        NotApplied::OfferCapReached { max_awards } => {
            lang.t_args("why-offer-cap", &[("max", max_awards.to_string())])
        }
        NotApplied::YearMaximumReached { max_cents } => {
            lang.t_args("why-year-max", &[("max", money(lang, *max_cents))])
        }
        NotApplied::ExcludedBy { scheme } => {
            let title = titles.get(scheme).unwrap_or(scheme);
            lang.t_args("why-excluded-by", &[("scheme", title.clone())])
        }
        NotApplied::NothingLeftToCover => lang.t("why-nothing-left"),
        NotApplied::PaidToLearningAccount => lang.t("why-learning-account"),
    }
}

/// The question that would decide a scheme.
pub fn missing(lang: Lang, facts: &[MissingFact]) -> String {
    let words: Vec<String> = facts
        .iter()
        .map(|f| {
            lang.t(match f {
                MissingFact::Age => "fact-age",
                MissingFact::Employment => "fact-employment",
                MissingFact::Education => "fact-education",
                MissingFact::Municipality => "fact-municipality",
                MissingFact::Sector => "fact-sector",
                MissingFact::InsuredMonths => "fact-insured",
                MissingFact::Offer => "fact-offer",
            })
        })
        .collect();
    lang.t_args("why-missing", &[("facts", join(lang, words))])
}

/// What limited an amount.
pub fn limit(lang: Lang, l: AmountLimit) -> String {
    lang.t(match l {
        AmountLimit::Percent => "limit-percent",
        AmountLimit::FixedAmount => "limit-fixed",
        AmountLimit::MaxPerAward => "limit-per-award",
        AmountLimit::YearMaximum => "limit-year",
        AmountLimit::RemainingBudget => "limit-budget",
        AmountLimit::RemainingCosts => "limit-costs",
    })
}

/// A rule in words, for the scheme pages.
pub fn condition_text(lang: Lang, c: &Condition) -> String {
    clause(lang, c, false)
}

/// A condition as a clause. At the top, "all of" reads as a list of clauses ("…, en …") and
/// "one of" as clauses joined by "of"; inside "one of", "all of" is joined by a plain "en", so
/// the sentence needs no brackets.
fn clause(lang: Lang, c: &Condition, nested: bool) -> String {
    let code = lang.code();
    match c {
        Condition::All(parts) if parts.is_empty() => lang.t("rule-everyone"),
        Condition::All(parts) => {
            let and = lang.t("word-and");
            let glue = if nested {
                format!(" {and} ")
            } else {
                format!(", {and} ")
            };
            parts
                .iter()
                .map(|p| clause(lang, p, true))
                .collect::<Vec<_>>()
                .join(&glue)
        }
        Condition::Any(parts) => parts
            .iter()
            .map(|p| clause(lang, p, true))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", lang.t("word-or"))),
        Condition::Not(inner) => {
            lang.t_args("rule-not", &[("condition", clause(lang, inner, true))])
        }
        Condition::Age { min, max, .. } => match (min, max) {
            (Some(lo), Some(hi)) => lang.t_args(
                "rule-age-between",
                &[("min", lo.to_string()), ("max", hi.to_string())],
            ),
            (Some(lo), None) => lang.t_args("rule-age-min", &[("min", lo.to_string())]),
            (None, Some(hi)) => lang.t_args("rule-age-max", &[("max", hi.to_string())]),
            (None, None) => lang.t("rule-everyone"),
        },
        Condition::Employment(v) => lang.t_args(
            "rule-employment",
            &[("allowed", list(lang, v, |e| format!("employment-{e}")))],
        ),
        Condition::EducationAtMost(l) => lang.t_args(
            "rule-education-at-most",
            &[("level", lang.t(&format!("education-{l}")))],
        ),
        Condition::EducationAtLeast(l) => lang.t_args(
            "rule-education-at-least",
            &[("level", lang.t(&format!("education-{l}")))],
        ),
        Condition::Province(v) | Condition::Region(v) | Condition::Municipality(v) => {
            lang.t_args("rule-place", &[("places", join(lang, v.clone()))])
        }
        Condition::Sector(v) => lang.t_args(
            "rule-sector",
            &[("allowed", list(lang, v, |s| format!("sector-{s}")))],
        ),
        Condition::InsuredMonths {
            at_least,
            within_months,
        } => lang.t_args(
            "rule-insured-months",
            &[
                ("months", at_least.to_string()),
                ("window", within_months.to_string()),
            ],
        ),
        Condition::NotUsedBefore { within_months } => match within_months {
            Some(m) => lang.t_args("rule-not-used-within", &[("months", m.to_string())]),
            None => lang.t("rule-not-used"),
        },
        Condition::OfferKind(v) => lang.t_args(
            "rule-offer-kind",
            &[("allowed", list(lang, v, |k| format!("kind-{k}")))],
        ),
        Condition::OfferLevel(v) => lang.t_args(
            "rule-offer-level",
            &[("allowed", list(lang, v, |l| format!("level-{l}")))],
        ),
        Condition::Modality(v) => lang.t_args(
            "rule-modality",
            &[("allowed", list(lang, v, |m| format!("modality-{m}")))],
        ),
        Condition::Price {
            min_cents,
            max_cents,
        } => match (min_cents, max_cents) {
            (Some(lo), Some(hi)) => lang.t_args(
                "rule-price-between",
                &[
                    ("min", lo.format_euros(code)),
                    ("max", hi.format_euros(code)),
                ],
            ),
            (Some(lo), None) => lang.t_args("rule-price-min", &[("min", lo.format_euros(code))]),
            (None, Some(hi)) => lang.t_args("rule-price-max", &[("max", hi.format_euros(code))]),
            (None, None) => lang.t("rule-everyone"),
        },
        Condition::Accreditation(v) => lang.t_args(
            "rule-accreditation",
            &[(
                "allowed",
                join(lang, v.iter().map(|a| a.to_string()).collect()),
            )],
        ),
        Condition::SkillsOnList { list: name, min } => lang.t_args(
            "rule-skills-on-list",
            &[("list", list_name(lang, name)), ("min", min.to_string())],
        ),
        Condition::Skills { any_of, min } => lang.t_args(
            "rule-skills",
            &[
                ("min", min.to_string()),
                ("count", any_of.len().to_string()),
            ],
        ),
        Condition::CreboRegistered(true) => lang.t("rule-crebo"),
        Condition::CreboRegistered(false) => lang.t("rule-no-crebo"),
    }
}

/// What a plan item's explanation is made of.
pub struct PlanItemFacts<'a> {
    /// Labels of the missing essential skills it newly teaches.
    pub essential_labels: Vec<String>,
    /// How many missing essential skills it newly teaches (labels may name a group of them).
    pub essential_count: usize,
    pub optional_count: usize,
    /// All missing essential skills of the gap.
    pub essential_missing: usize,
    pub net_cents: Money,
    pub gross_cents: Money,
    /// Names of the schemes that pay part of it.
    pub schemes: Vec<String>,
    pub fit: &'a leerpad_domain::matching::OfferFit,
}

/// Why a plan names an offer, in one or two sentences: what it teaches, what it costs after
/// financing, and anything that fits less well.
pub fn plan_item(lang: Lang, f: &PlanItemFacts<'_>) -> String {
    use leerpad_domain::matching::LevelFit;
    let mut parts = Vec::new();
    if f.essential_labels.is_empty() {
        parts.push(lang.t_args(
            "plan-teaches-optional",
            &[("count", f.optional_count.to_string())],
        ));
    } else {
        let shown: Vec<String> = f.essential_labels.iter().take(5).cloned().collect();
        let mut list = join(lang, shown);
        if f.essential_labels.len() > 5 {
            list = lang.t_args(
                "plan-and-more",
                &[
                    ("list", list),
                    ("more", (f.essential_labels.len() - 5).to_string()),
                ],
            );
        }
        parts.push(lang.t_args(
            "plan-teaches",
            &[
                ("count", f.essential_count.to_string()),
                ("total", f.essential_missing.to_string()),
                ("skills", list),
            ],
        ));
    }
    parts.push(if f.net_cents <= Money::ZERO {
        lang.t("plan-cost-free")
    } else if f.schemes.is_empty() {
        lang.t_args("plan-cost", &[("net", money(lang, f.net_cents))])
    } else {
        lang.t_args(
            "plan-cost-after",
            &[
                ("net", money(lang, f.net_cents)),
                ("gross", money(lang, f.gross_cents)),
                ("schemes", join(lang, f.schemes.clone())),
            ],
        )
    });
    match f.fit.level {
        LevelFit::Demanding => parts.push(lang.t("plan-level-demanding")),
        LevelFit::Below => parts.push(lang.t("plan-level-below")),
        LevelFit::Fits | LevelFit::Unknown => {}
    }
    if let Some(weeks) = f.fit.weeks
        && weeks > 26
    {
        parts.push(lang.t_args("plan-long", &[("weeks", weeks.to_string())]));
    }
    if f.fit.over_budget {
        parts.push(lang.t("plan-over-budget"));
    }
    parts.join(" ")
}

//! Evaluation of a condition against the facts, in Kleene's three-valued logic: leaves about
//! the person, leaves about the offer, and the `all`, `any` and `not` that combine them.

use super::{Condition, Facts, MissingFact, OfferFacts, SkillLists, Unmet, Verdict};
use crate::shared::Date;

fn months_between(earlier: Date, later: Date) -> i32 {
    let mut m = (later.year() - earlier.year()) * 12 + i32::from(later.month() as u8)
        - i32::from(earlier.month() as u8);
    if later.day() < earlier.day() {
        m -= 1;
    }
    m
}

impl Condition {
    /// Evaluate with Kleene's three-valued logic: `all` is unmet when any part is unmet (and
    /// reports every unmet part), `any` is met when any part is met.
    pub fn evaluate(&self, facts: &Facts<'_>) -> Verdict {
        match self {
            Condition::All(parts) => {
                let mut unmet = Vec::new();
                let mut missing = Vec::new();
                for part in parts {
                    match part.evaluate(facts) {
                        Verdict::Met => {}
                        Verdict::Unmet(r) => unmet.extend(r),
                        Verdict::Unknown(m) => missing.extend(m),
                    }
                }
                if !unmet.is_empty() {
                    Verdict::Unmet(unmet)
                } else if !missing.is_empty() {
                    missing.sort();
                    missing.dedup();
                    Verdict::Unknown(missing)
                } else {
                    Verdict::Met
                }
            }
            Condition::Any(parts) => {
                let mut options = Vec::new();
                let mut missing = Vec::new();
                for part in parts {
                    match part.evaluate(facts) {
                        Verdict::Met => return Verdict::Met,
                        Verdict::Unmet(r) => options.push(r),
                        Verdict::Unknown(m) => missing.extend(m),
                    }
                }
                if !missing.is_empty() {
                    missing.sort();
                    missing.dedup();
                    Verdict::Unknown(missing)
                } else if options.len() == 1 {
                    Verdict::Unmet(options.remove(0))
                } else {
                    Verdict::unmet(Unmet::NoneOf { options })
                }
            }
            Condition::Not(inner) => match inner.evaluate(facts) {
                Verdict::Met => Verdict::unmet(Unmet::Excluded {
                    condition: inner.clone(),
                }),
                Verdict::Unmet(_) => Verdict::Met,
                unknown => unknown,
            },
            leaf if leaf.is_about_offer() => match facts.offer {
                Some(offer) => leaf.evaluate_offer(&offer, facts.skill_lists),
                None => Verdict::unknown(MissingFact::Offer),
            },
            leaf => leaf.evaluate_person(facts),
        }
    }

    fn evaluate_person(&self, facts: &Facts<'_>) -> Verdict {
        let person = facts.person;
        match self {
            Condition::Age { min, max, on } => {
                let Some((lo, hi)) = person.age_range_on(on.unwrap_or(facts.today), facts.today)
                else {
                    return Verdict::unknown(MissingFact::Age);
                };
                if let Some(min) = *min {
                    if hi < min {
                        return Verdict::unmet(Unmet::TooYoung { min, age: hi });
                    }
                    if lo < min {
                        return Verdict::unknown(MissingFact::Age);
                    }
                }
                if let Some(max) = *max {
                    if lo > max {
                        return Verdict::unmet(Unmet::TooOld { max, age: lo });
                    }
                    if hi > max {
                        return Verdict::unknown(MissingFact::Age);
                    }
                }
                Verdict::Met
            }
            Condition::Employment(allowed) => match person.employment {
                None => Verdict::unknown(MissingFact::Employment),
                Some(actual) => Verdict::when(allowed.contains(&actual), || Unmet::Employment {
                    allowed: allowed.clone(),
                    actual,
                }),
            },
            Condition::EducationAtMost(max) => match person.education {
                None => Verdict::unknown(MissingFact::Education),
                Some(actual) => Verdict::when(actual.rank() <= max.rank(), || {
                    Unmet::EducationTooHigh { max: *max, actual }
                }),
            },
            Condition::EducationAtLeast(min) => match person.education {
                None => Verdict::unknown(MissingFact::Education),
                Some(actual) => Verdict::when(actual.rank() >= min.rank(), || {
                    Unmet::EducationTooLow { min: *min, actual }
                }),
            },
            Condition::Province(allowed) => match facts.home {
                None => Verdict::unknown(MissingFact::Municipality),
                Some(home) => Verdict::when(
                    allowed
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(&home.province)),
                    || Unmet::Province {
                        allowed: allowed.clone(),
                        actual: home.province.clone(),
                    },
                ),
            },
            Condition::Region(allowed) => match facts.home {
                None => Verdict::unknown(MissingFact::Municipality),
                Some(home) => Verdict::when(
                    allowed.iter().any(|r| r.eq_ignore_ascii_case(&home.region)),
                    || Unmet::Region {
                        allowed: allowed.clone(),
                        actual: home.region.clone(),
                    },
                ),
            },
            Condition::Municipality(allowed) => match facts.home {
                None => Verdict::unknown(MissingFact::Municipality),
                Some(home) => Verdict::when(
                    allowed.iter().any(|m| {
                        m.eq_ignore_ascii_case(&home.code) || m.eq_ignore_ascii_case(&home.name)
                    }),
                    || Unmet::Municipality {
                        allowed: allowed.clone(),
                        actual: home.name.clone(),
                    },
                ),
            },
            Condition::Sector(allowed) => match person.sector {
                None => Verdict::unknown(MissingFact::Sector),
                Some(actual) => Verdict::when(allowed.contains(&actual), || Unmet::Sector {
                    allowed: allowed.clone(),
                    actual,
                }),
            },
            Condition::InsuredMonths {
                at_least,
                within_months,
            } => match person.insured_months_range(*within_months) {
                None => Verdict::unknown(MissingFact::InsuredMonths),
                Some((lo, _)) if lo >= *at_least => Verdict::Met,
                Some((_, hi)) if hi < *at_least => Verdict::unmet(Unmet::InsuredMonths {
                    at_least: *at_least,
                    within_months: *within_months,
                }),
                Some(_) => Verdict::unknown(MissingFact::InsuredMonths),
            },
            Condition::NotUsedBefore { within_months } => {
                let hit = facts.prior_awards_of_scheme.iter().copied().find(|on| {
                    within_months.is_none_or(|m| months_between(*on, facts.today) < i32::from(m))
                });
                match hit {
                    None => Verdict::Met,
                    Some(last) => Verdict::unmet(Unmet::UsedBefore {
                        within_months: *within_months,
                        last,
                    }),
                }
            }
            // Offer leaves and combinators are handled by `evaluate`.
            _ => Verdict::Met,
        }
    }

    fn evaluate_offer(&self, offer: &OfferFacts<'_>, lists: &dyn SkillLists) -> Verdict {
        let content = offer.content;
        match self {
            Condition::OfferKind(allowed) => {
                Verdict::when(allowed.contains(&content.kind), || Unmet::OfferKind {
                    allowed: allowed.clone(),
                    actual: content.kind,
                })
            }
            Condition::OfferLevel(allowed) => {
                Verdict::when(content.level.is_some_and(|l| allowed.contains(&l)), || {
                    Unmet::OfferLevel {
                        allowed: allowed.clone(),
                        actual: content.level,
                    }
                })
            }
            Condition::Modality(allowed) => {
                Verdict::when(allowed.contains(&content.modality), || Unmet::Modality {
                    allowed: allowed.clone(),
                    actual: content.modality,
                })
            }
            Condition::Price {
                min_cents,
                max_cents,
            } => {
                let actual_cents = offer.gross_cents;
                if let Some(min) = *min_cents
                    && actual_cents < min
                {
                    return Verdict::unmet(Unmet::PriceTooLow {
                        min_cents: min,
                        actual_cents,
                    });
                }
                if let Some(max) = *max_cents
                    && actual_cents > max
                {
                    return Verdict::unmet(Unmet::PriceTooHigh {
                        max_cents: max,
                        actual_cents,
                    });
                }
                Verdict::Met
            }
            Condition::Accreditation(allowed) => Verdict::when(
                offer.accreditations.iter().any(|a| allowed.contains(a)),
                || Unmet::Accreditation {
                    allowed: allowed.clone(),
                },
            ),
            Condition::SkillsOnList { list, min } => {
                let found = content
                    .skills
                    .iter()
                    .filter(|s| lists.list_contains(list, &s.uri))
                    .count();
                let found = u16::try_from(found).unwrap_or(u16::MAX);
                Verdict::when(found >= *min, || Unmet::SkillsOnList {
                    list: list.clone(),
                    min: *min,
                    found,
                })
            }
            Condition::Skills { any_of, min } => {
                let found = content
                    .skills
                    .iter()
                    .filter(|s| any_of.contains(&s.uri))
                    .count();
                let found = u16::try_from(found).unwrap_or(u16::MAX);
                Verdict::when(found >= *min, || Unmet::Skills { min: *min, found })
            }
            Condition::CreboRegistered(required) => {
                Verdict::when(content.crebo.is_some() == *required, || {
                    Unmet::CreboRegistered {
                        required: *required,
                    }
                })
            }
            _ => Verdict::Met,
        }
    }
}

//! An advice programme: who pays for how many ontwikkeladviezen, for whom, in which registration
//! windows, with which share of the places kept for which target group.

use crate::UnixTime;
use crate::financing::rules::Condition;
use crate::shared::{FieldError, Localized, Money};
use serde::{Deserialize, Serialize};

/// Places kept first for a target group ("at least 60% for people with at most mbo 2").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reserve {
    pub name: Localized,
    /// Share of the programme's places, in whole percent.
    pub percent: u8,
    /// Who belongs to the target group, in the rule language of the financing schemes.
    pub who: Condition,
}

/// A period in which people register; when it closes, the places are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub opens: UnixTime,
    pub closes: UnixTime,
}

/// What a programme manager defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeDefinition {
    pub name: Localized,
    #[serde(default)]
    pub description: Localized,
    pub funder: String,
    /// Number of advices the programme pays for.
    pub capacity: u32,
    pub budget_per_advice: Money,
    /// Who may register; an empty `all` lets everyone in.
    #[serde(default = "Condition::always")]
    pub eligibility: Condition,
    /// Filled in this order before the open places.
    #[serde(default)]
    pub reserves: Vec<Reserve>,
    #[serde(default)]
    pub windows: Vec<Window>,
    /// Example data shipped with the demo, shown as such.
    #[serde(default)]
    pub example: bool,
}

impl ProgrammeDefinition {
    /// Places kept for each reserve, in order: its share of the capacity, rounded down.
    pub fn reserved_places(&self) -> Vec<u32> {
        self.reserves
            .iter()
            .map(|r| (u64::from(self.capacity) * u64::from(r.percent) / 100) as u32)
            .collect()
    }

    /// The window open at `now`, if any.
    pub fn open_window(&self, now: UnixTime) -> Option<Window> {
        self.windows
            .iter()
            .find(|w| w.opens <= now && now < w.closes)
            .copied()
    }

    /// Every problem of the definition, each on its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.name.nl.trim().is_empty() {
            out.push(FieldError::new("name.nl", "a name is required").coded("required", vec![]));
        }
        if self.capacity == 0 {
            out.push(
                FieldError::new("capacity", "must be at least 1")
                    .coded("at-least", vec![("min", "1".into())]),
            );
        }
        if self.budget_per_advice.is_negative() {
            out.push(
                FieldError::new("budget_per_advice", "cannot be negative")
                    .coded("negative", vec![]),
            );
        }
        let total: u32 = self.reserves.iter().map(|r| u32::from(r.percent)).sum();
        if total > 100 {
            out.push(
                FieldError::new(
                    "reserves",
                    format!("the reserves add up to {total} percent, more than 100"),
                )
                .coded("reserves-over-100", vec![("total", total.to_string())]),
            );
        }
        let mut windows = self.windows.clone();
        windows.sort_by_key(|w| w.opens);
        for (i, w) in self.windows.iter().enumerate() {
            if w.closes <= w.opens {
                out.push(
                    FieldError::new(format!("windows[{i}].closes"), "must be after it opens")
                        .coded("closes-before-opens", vec![]),
                );
            }
        }
        if windows.windows(2).any(|p| p[1].opens < p[0].closes) {
            out.push(
                FieldError::new("windows", "windows overlap").coded("windows-overlap", vec![]),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme() -> ProgrammeDefinition {
        ProgrammeDefinition {
            name: Localized {
                nl: "Ontwikkeladvies Limburg".into(),
                en: "Development advice Limburg".into(),
            },
            description: Localized::default(),
            funder: "Provincie Limburg".into(),
            capacity: 7000,
            budget_per_advice: Money::from_cents(75_000),
            eligibility: Condition::always(),
            reserves: vec![Reserve {
                name: Localized {
                    nl: "hoogstens mbo 2".into(),
                    en: "at most mbo 2".into(),
                },
                percent: 60,
                who: Condition::always(),
            }],
            windows: vec![Window {
                opens: 100,
                closes: 200,
            }],
            example: false,
        }
    }

    #[test]
    fn reserves_are_a_share_of_the_places_rounded_down() {
        let mut p = programme();
        assert_eq!(p.reserved_places(), vec![4200]);
        p.capacity = 7;
        assert_eq!(p.reserved_places(), vec![4]);
    }

    #[test]
    fn a_window_is_open_from_its_opening_until_just_before_it_closes() {
        let p = programme();
        assert!(p.open_window(99).is_none());
        assert!(p.open_window(100).is_some());
        assert!(p.open_window(199).is_some());
        assert!(p.open_window(200).is_none());
    }

    #[test]
    fn a_bad_definition_names_each_field() {
        let mut p = programme();
        assert!(p.validate().is_empty());
        p.capacity = 0;
        p.reserves.push(p.reserves[0].clone());
        p.windows.push(Window {
            opens: 150,
            closes: 140,
        });
        let fields: Vec<String> = p.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["capacity", "reserves", "windows[1].closes", "windows"]
        );
    }
}

//! The draw that allocates an advice programme's places when a registration window closes.
//!
//! No race: everyone who registered during the window has the same chance, whenever they
//! registered. Each registration's lottery number is the SHA-256 of `"{seed}:{registration}"`
//! (lowercase hex), and registrations are taken in ascending order of that number. The reserves
//! are filled first, in the order the programme lists them, each with the registrations of its
//! target group that have no place yet; the remaining places then go to everyone left, in the
//! same order; whoever is left after that is on the waitlist, in the same order. The seed is
//! published with the result, so anyone can redo the draw from the seed and the list of
//! registrations (`data/advice/redo_draw.py` does, in the tests).

use serde::{Deserialize, Serialize};

/// One registration taking part in a draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entrant {
    /// The registration's public reference (the same text the published list shows).
    pub registration: String,
    /// Indices of the reserves (in the programme's order) whose target group the person is in.
    pub groups: Vec<usize>,
}

/// What the draw gave one registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A place, from the reserve at this index or (None) from the open places.
    Place { reserve: Option<usize> },
    /// No place yet: this position on the waitlist (1 is next).
    Waitlist { position: u32 },
}

/// One line of a draw's result, in lottery order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub registration: String,
    /// The lottery number (64 hex digits).
    pub number: String,
    pub outcome: Outcome,
}

impl Outcome {
    /// As the published draw writes it: `reserve 0`, `open`, `waitlist 12`.
    pub fn published(&self) -> String {
        match self {
            Outcome::Place {
                reserve: Some(group),
            } => format!("reserve {group}"),
            Outcome::Place { reserve: None } => "open".to_owned(),
            Outcome::Waitlist { position } => format!("waitlist {position}"),
        }
    }
}

/// A draw as Leerpad publishes it, so that anyone can redo it: the seed, the places, every
/// registration (by its public reference) with its target groups, and the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDraw {
    pub seed: String,
    pub capacity: u32,
    pub reserves: Vec<PublishedReserve>,
    /// In order of reference.
    pub registrations: Vec<PublishedRegistration>,
    /// In lottery order.
    pub result: Vec<PublishedLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedReserve {
    pub name: String,
    pub places: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedRegistration {
    pub registration: String,
    pub groups: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedLine {
    pub registration: String,
    pub number: String,
    pub outcome: String,
}

impl PublishedDraw {
    /// Draws and writes the result down for publication; `reserves` are (name, places).
    pub fn draw(
        seed: &str,
        capacity: u32,
        reserves: &[(String, u32)],
        entrants: &[Entrant],
    ) -> PublishedDraw {
        let places: Vec<u32> = reserves.iter().map(|(_, p)| *p).collect();
        let result = draw(seed, capacity, &places, entrants);
        let mut registrations: Vec<PublishedRegistration> = entrants
            .iter()
            .map(|e| PublishedRegistration {
                registration: e.registration.clone(),
                groups: e.groups.clone(),
            })
            .collect();
        registrations.sort_by(|a, b| a.registration.cmp(&b.registration));
        PublishedDraw {
            seed: seed.to_owned(),
            capacity,
            reserves: reserves
                .iter()
                .map(|(name, places)| PublishedReserve {
                    name: name.clone(),
                    places: *places,
                })
                .collect(),
            registrations,
            result: result
                .into_iter()
                .map(|d| PublishedLine {
                    outcome: d.outcome.published(),
                    registration: d.registration,
                    number: d.number,
                })
                .collect(),
        }
    }
}

pub use crate::shared::lottery_number;

/// Allocates `capacity` places among `entrants`, with `reserves[i]` places kept first for
/// group `i`. Places a reserve cannot fill go to the open places; the result never holds more
/// places than `capacity`, even when the reserves add up to more.
pub fn draw(seed: &str, capacity: u32, reserves: &[u32], entrants: &[Entrant]) -> Vec<Drawn> {
    let mut order: Vec<(String, &Entrant)> = entrants
        .iter()
        .map(|e| (lottery_number(seed, &e.registration), e))
        .collect();
    order.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.registration.cmp(&b.1.registration)));
    let mut outcome: Vec<Option<Outcome>> = vec![None; order.len()];
    let mut left = capacity;
    for (group, places) in reserves.iter().enumerate() {
        let mut to_fill = (*places).min(left);
        for (i, (_, e)) in order.iter().enumerate() {
            if to_fill == 0 {
                break;
            }
            if outcome[i].is_none() && e.groups.contains(&group) {
                outcome[i] = Some(Outcome::Place {
                    reserve: Some(group),
                });
                to_fill -= 1;
                left -= 1;
            }
        }
    }
    let mut position = 0u32;
    for slot in outcome.iter_mut().filter(|o| o.is_none()) {
        *slot = Some(if left > 0 {
            left -= 1;
            Outcome::Place { reserve: None }
        } else {
            position += 1;
            Outcome::Waitlist { position }
        });
    }
    order
        .into_iter()
        .zip(outcome)
        .map(|((number, e), outcome)| Drawn {
            registration: e.registration.clone(),
            number,
            outcome: outcome.unwrap_or(Outcome::Waitlist { position: 0 }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entrants(n: usize, in_group: impl Fn(usize) -> bool) -> Vec<Entrant> {
        (0..n)
            .map(|i| Entrant {
                registration: format!("R{i:06}"),
                groups: if in_group(i) { vec![0] } else { Vec::new() },
            })
            .collect()
    }

    fn places(result: &[Drawn]) -> usize {
        result
            .iter()
            .filter(|d| matches!(d.outcome, Outcome::Place { .. }))
            .count()
    }

    #[test]
    fn the_lottery_number_is_the_sha256_of_seed_and_registration() {
        // printf 'zaad:R1' | sha256sum
        assert_eq!(
            lottery_number("zaad", "R1"),
            "d171c5d86f9229a9452b9e255b60431384f186a7ff94055ff8e48ff0fa088128"
        );
        assert_eq!(lottery_number("zaad", "R1").len(), 64);
        assert_ne!(lottery_number("zaad", "R1"), lottery_number("zaad2", "R1"));
    }

    #[test]
    fn the_reserve_is_filled_first_then_the_open_places_then_the_waitlist() {
        // 1,000 registrations, one in five in the target group; 100 places, 60 reserved.
        let all = entrants(1000, |i| i % 5 == 0);
        let result = draw("seed-1", 100, &[60], &all);
        assert_eq!(result.len(), 1000);
        assert_eq!(places(&result), 100);
        let reserved = result
            .iter()
            .filter(|d| d.outcome == Outcome::Place { reserve: Some(0) })
            .count();
        assert_eq!(reserved, 60);
        let waitlist: Vec<u32> = result
            .iter()
            .filter_map(|d| match d.outcome {
                Outcome::Waitlist { position } => Some(position),
                Outcome::Place { .. } => None,
            })
            .collect();
        assert_eq!(waitlist, (1..=900).collect::<Vec<u32>>());
    }

    #[test]
    fn a_reserve_without_enough_candidates_leaves_its_places_open() {
        let all = entrants(500, |i| i < 10);
        let result = draw("s", 100, &[60], &all);
        assert_eq!(places(&result), 100);
        let reserved = result
            .iter()
            .filter(|d| d.outcome == Outcome::Place { reserve: Some(0) })
            .count();
        assert_eq!(reserved, 10);
    }

    proptest! {
        #[test]
        fn never_more_places_than_capacity_and_the_same_draw_in_any_input_order(
            n in 0usize..300,
            capacity in 0u32..200,
            reserve_a in 0u32..150,
            reserve_b in 0u32..150,
            seed in "[a-z0-9]{1,12}",
        ) {
            let all: Vec<Entrant> = (0..n)
                .map(|i| Entrant {
                    registration: format!("R{i}"),
                    groups: match i % 4 { 0 => vec![0], 1 => vec![0, 1], 2 => vec![1], _ => vec![] },
                })
                .collect();
            let result = draw(&seed, capacity, &[reserve_a, reserve_b], &all);
            prop_assert_eq!(places(&result), n.min(capacity as usize));
            let mut reversed = all.clone();
            reversed.reverse();
            prop_assert_eq!(draw(&seed, capacity, &[reserve_a, reserve_b], &reversed), result);
        }
    }
}

//! Which applications an oversubscribed call takes first. With a lottery, each application's
//! number is the SHA-256 of `"{seed}:{reference}"` (lowercase hex; the same function the advice
//! draw uses) and the order is ascending by number; with scoring, by the weighted score
//! (highest first; ties by the lottery number). The budget is then given in that order: an
//! application that no longer fits is passed over (a smaller one after it may still fit). The
//! seed is published with the result, so anyone can redo the order and the allocation from the
//! seed and the list of applications (`data/calls/redo_lottery.py` does, in the tests).

use crate::shared::lottery_number;
use serde::{Deserialize, Serialize};

/// One application taking part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The application's public reference.
    pub reference: String,
    /// What it asks, in cents.
    pub amount_cents: i64,
    /// For scoring: the weighted score (higher first); none for a lottery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
}

/// An application's place in the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub reference: String,
    pub number: String,
    pub amount_cents: i64,
    /// For scoring: the weighted score in tenths of a point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// Whether the budget covers it (in order).
    pub funded: bool,
}

/// The order and the allocation of `budget_cents` among `entries`.
pub fn rank(seed: &str, budget_cents: i64, entries: &[Entry]) -> Vec<Ranked> {
    let mut order: Vec<(&Entry, String)> = entries
        .iter()
        .map(|e| (e, lottery_number(seed, &e.reference)))
        .collect();
    order.sort_by(|(a, na), (b, nb)| {
        b.score
            .unwrap_or(0)
            .cmp(&a.score.unwrap_or(0))
            .then_with(|| na.cmp(nb))
    });
    let mut left = budget_cents;
    order
        .into_iter()
        .map(|(e, number)| {
            let funded = e.amount_cents <= left;
            if funded {
                left -= e.amount_cents;
            }
            Ranked {
                reference: e.reference.clone(),
                number,
                amount_cents: e.amount_cents,
                score: e.score,
                funded,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(reference: &str, amount_cents: i64) -> Entry {
        Entry {
            reference: reference.into(),
            amount_cents,
            score: None,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_order_and_never_more_than_the_budget() {
        let entries: Vec<Entry> = (0..50)
            .map(|i| entry(&format!("A-{i}"), 10_000 + i * 997))
            .collect();
        let one = rank("zaad", 200_000, &entries);
        assert_eq!(one, rank("zaad", 200_000, &entries));
        assert_ne!(one, rank("ander zaad", 200_000, &entries));
        let funded: i64 = one
            .iter()
            .filter(|r| r.funded)
            .map(|r| r.amount_cents)
            .sum();
        assert!(funded <= 200_000);
        // Whatever is passed over did not fit in what was left at its turn.
        let mut left = 200_000;
        for r in &one {
            if r.funded {
                left -= r.amount_cents;
            } else {
                assert!(r.amount_cents > left);
            }
        }
        assert!(one.windows(2).all(|w| w[0].number <= w[1].number));
    }

    #[test]
    fn scores_go_first_and_ties_go_by_lottery_number() {
        let mut entries = vec![entry("A", 100), entry("B", 100), entry("C", 100)];
        entries[2].score = Some(9);
        entries[0].score = Some(5);
        entries[1].score = Some(5);
        let r = rank("s", 1_000, &entries);
        assert_eq!(r[0].reference, "C");
        assert!(r[1].number <= r[2].number);
    }
}

//! What a demo offer costs and when and where it is given: tuition, materials and exam fees by
//! kind, and runs on fixed dates in the provider's places.

use super::Plan;
use crate::Generator;
use leerpad_domain::catalogue::{CostInput, RunInput};
use leerpad_domain::shared::{Money, iso_date_option};
use rand::Rng;
use rand::seq::IndexedRandom;

impl Generator<'_> {
    /// Tuition by kind, sometimes materials and an exam; VAT unless the provider is exempt.
    pub(super) fn price(&mut self, kind: &str, vat_exempt: bool) -> Vec<CostInput> {
        let euros = self.tuition_euros(kind);
        let vat = if vat_exempt { 0 } else { 21 };
        let round = |e: i64| if e >= 100 { e / 5 * 5 } else { e };
        let mut costs = vec![CostInput {
            kind: "tuition".into(),
            amount_cents: Money::from_cents(round(euros) * 100),
            vat_percent: Some(vat),
            required: Some(true),
        }];
        if euros > 0 && self.rng.random_bool(0.3) {
            costs.push(CostInput {
                kind: "materials".into(),
                amount_cents: Money::from_cents(self.rng.random_range(2..=15) * 500),
                vat_percent: Some(if vat == 0 { 9 } else { 21 }),
                required: Some(true),
            });
        }
        if matches!(kind, "course" | "module" | "deelcertificaat") && self.rng.random_bool(0.25) {
            costs.push(CostInput {
                kind: "exam".into(),
                amount_cents: Money::from_cents(self.rng.random_range(8..=40) * 500),
                vat_percent: Some(vat),
                required: Some(self.rng.random_bool(0.7)),
            });
        }
        costs
    }

    fn tuition_euros(&mut self, kind: &str) -> i64 {
        match kind {
            "micro_learning" => {
                if self.rng.random_bool(0.4) {
                    0
                } else {
                    self.rng.random_range(15..=99)
                }
            }
            "exam" => self.rng.random_range(95..=450),
            "course" => self.rng.random_range(95..=1_600),
            "module" => self.rng.random_range(250..=1_500),
            "deelcertificaat" => self.rng.random_range(450..=2_500),
            "mbo_certificate" => self.rng.random_range(350..=2_000),
            "praktijkverklaring" => self.rng.random_range(0..=600),
            "bbl" | "bol" => self.rng.random_range(1_200..=3_900),
            _ => self.rng.random_range(1_200..=6_500),
        }
    }

    /// Runs on fixed dates in the coming months, in the provider's places.
    pub(super) fn schedule_runs(
        &mut self,
        plan: &Plan<'_>,
        provider: usize,
        hours: i64,
    ) -> Vec<RunInput> {
        let places = self.providers[provider].places.clone();
        let n: i32 = match plan.kind {
            "bbl" | "bol" => self.rng.random_range(1..=2),
            _ => self.rng.random_range(1..=4),
        };
        (0..n).map(|r| self.run(r, plan, &places, hours)).collect()
    }

    /// Run `r` (counting from 0).
    fn run(&mut self, r: i32, plan: &Plan<'_>, places: &[String], hours: i64) -> RunInput {
        let start = self.run_start(r, plan.kind);
        let length_days = (hours / 4).clamp(0, 700);
        let end = start + time::Duration::days(length_days);
        let municipality = (plan.modality != "online")
            .then(|| places.choose(&mut self.rng).cloned().unwrap_or_default());
        let status = if start < self.today {
            "closed"
        } else if self.rng.random_bool(0.06) {
            "full"
        } else {
            "open"
        };
        let deadline = start - time::Duration::days(self.rng.random_range(7..=21));
        RunInput {
            id: Some(format!("{}", r + 1)),
            start: Some(iso_date_option::format(start)),
            end: Some(iso_date_option::format(end)),
            municipality,
            status: Some(status.to_owned()),
            application_deadline: Some(iso_date_option::format(deadline)),
        }
    }

    fn run_start(&mut self, r: i32, kind: &str) -> time::Date {
        if matches!(kind, "bbl" | "bol") {
            // MBO tracks start in September or February.
            let year = self.today.year() + i32::from(self.today.month() as u8 >= 9) + r / 2;
            let month = if r % 2 == 0 {
                time::Month::September
            } else {
                time::Month::February
            };
            time::Date::from_calendar_date(year, month, 1).unwrap_or(self.today)
        } else {
            self.date_in(-30, 300)
        }
    }

    fn date_in(&mut self, min_days: i64, max_days: i64) -> time::Date {
        let days = self.rng.random_range(min_days..=max_days);
        self.today + time::Duration::days(days)
    }
}

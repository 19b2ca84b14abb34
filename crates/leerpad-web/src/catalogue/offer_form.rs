//! The portal's offer form: an [`OfferInput`] shown as form fields (euros, dates from date
//! pickers, rows for runs and cost lines) and read back, and the importer's field names mapped
//! to the form's, so every problem shows at its field.

use crate::pages::FieldErrors;
use leerpad_domain::catalogue::{CostInput, LocalizedInput, OfferInput, RunInput};
use leerpad_domain::shared::Money;
use std::collections::HashMap;

/// Rows for runs and cost lines the form shows beyond the offer's own: room to add some.
const EXTRA_ROWS: usize = 2;

/// The form's values by field name.
#[derive(Debug, Clone, Default)]
pub struct OfferForm {
    values: HashMap<String, String>,
    pub runs: usize,
    pub costs: usize,
}

impl OfferForm {
    /// The value of a field ("" when empty).
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    /// Whether a select's option is the chosen one.
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }

    /// Field names of run `i` and cost line `i`, for the template.
    pub fn run_rows(&self) -> Vec<usize> {
        (0..self.runs).collect()
    }

    pub fn cost_rows(&self) -> Vec<usize> {
        (0..self.costs).collect()
    }

    /// A new offer: one empty run and one tuition line.
    pub fn empty() -> OfferForm {
        let mut f = OfferForm::default();
        f.values.insert("status".into(), "published".into());
        f.values.insert("languages".into(), "nl".into());
        f.values.insert("cost_kind_0".into(), "tuition".into());
        f.values.insert("cost_vat_0".into(), "0".into());
        f.runs = 1 + EXTRA_ROWS;
        f.costs = 1 + EXTRA_ROWS;
        f
    }

    /// An offer's input as the form shows it.
    pub fn of_input(input: &OfferInput) -> OfferForm {
        let mut f = OfferForm::default();
        let mut set = |k: String, v: Option<&str>| {
            if let Some(v) = v {
                f.values.insert(k, v.to_owned());
            }
        };
        set("provider_offer_id".into(), Some(&input.provider_offer_id));
        set("title_nl".into(), input.title.nl.as_deref());
        set("title_en".into(), input.title.en.as_deref());
        set("summary_nl".into(), input.summary.nl.as_deref());
        set("summary_en".into(), input.summary.en.as_deref());
        set("description_nl".into(), input.description.nl.as_deref());
        set("kind".into(), Some(&input.kind));
        set("level".into(), input.level.as_deref());
        set("modality".into(), Some(&input.modality));
        set("credential".into(), input.credential.as_deref());
        set("status".into(), input.status.as_deref());
        let hours = input.study_load_hours.map(|h| h.to_string());
        set("study_load_hours".into(), hours.as_deref());
        set("languages".into(), Some(&input.languages.join(", ")));
        for (i, r) in input.runs.iter().enumerate() {
            set(format!("run_id_{i}"), r.id.as_deref());
            set(format!("run_start_{i}"), r.start.as_deref());
            set(format!("run_end_{i}"), r.end.as_deref());
            set(format!("run_place_{i}"), r.municipality.as_deref());
            set(
                format!("run_deadline_{i}"),
                r.application_deadline.as_deref(),
            );
            set(format!("run_status_{i}"), r.status.as_deref());
        }
        for (i, c) in input.costs.iter().enumerate() {
            set(format!("cost_kind_{i}"), Some(&c.kind));
            let euros = c.amount_cents.format_amount("nl");
            set(format!("cost_amount_{i}"), Some(&euros));
            let vat = c.vat_percent.unwrap_or(0).to_string();
            set(format!("cost_vat_{i}"), Some(&vat));
            if c.required == Some(false) {
                set(format!("cost_optional_{i}"), Some("on"));
            }
        }
        for (i, s) in input.skills.iter().enumerate() {
            set(format!("skill_{i}"), Some(s));
        }
        f.runs = input.runs.len() + EXTRA_ROWS;
        f.costs = input.costs.len().max(1) + EXTRA_ROWS;
        f
    }

    /// The form as posted (fields in any order).
    pub fn posted(pairs: Vec<(String, String)>) -> OfferForm {
        let mut f = OfferForm::default();
        for (k, v) in pairs {
            if let Some(i) = row_of(&k, "run_") {
                f.runs = f.runs.max(i + 1);
            }
            if let Some(i) = row_of(&k, "cost_") {
                f.costs = f.costs.max(i + 1);
            }
            f.values.insert(k, v);
        }
        f
    }

    /// The offer the form describes, or the fields that cannot even be read (amounts).
    pub fn to_input(&self, amount_error: &str) -> Result<OfferInput, FieldErrors> {
        let text = |k: &str| {
            let t = self.v(k).trim();
            (!t.is_empty()).then(|| t.to_owned())
        };
        let mut errors = FieldErrors::default();
        let mut runs = Vec::new();
        for i in 0..self.runs {
            let start = text(&format!("run_start_{i}"));
            let end = text(&format!("run_end_{i}"));
            let place = text(&format!("run_place_{i}"));
            let deadline = text(&format!("run_deadline_{i}"));
            if start.is_none() && end.is_none() && place.is_none() && deadline.is_none() {
                continue; // an empty row
            }
            runs.push(RunInput {
                id: text(&format!("run_id_{i}")),
                start,
                end,
                municipality: place,
                status: text(&format!("run_status_{i}")),
                application_deadline: deadline,
            });
        }
        let mut costs = Vec::new();
        for i in 0..self.costs {
            let Some(amount) = text(&format!("cost_amount_{i}")) else {
                continue;
            };
            match Money::parse_euros(&amount) {
                Some(amount_cents) => costs.push(CostInput {
                    kind: self.v(&format!("cost_kind_{i}")).to_owned(),
                    amount_cents,
                    vat_percent: self.v(&format!("cost_vat_{i}")).trim().parse().ok(),
                    required: Some(self.v(&format!("cost_optional_{i}")).is_empty()),
                }),
                None => errors.add(&format!("cost_amount_{i}"), amount_error.to_owned()),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let skills = (0..100)
            .map_while(|i| text(&format!("skill_{i}")))
            .collect();
        Ok(OfferInput {
            provider: None,
            provider_offer_id: self.v("provider_offer_id").trim().to_owned(),
            title: LocalizedInput {
                nl: text("title_nl"),
                en: text("title_en"),
            },
            summary: LocalizedInput {
                nl: text("summary_nl"),
                en: text("summary_en"),
            },
            description: LocalizedInput {
                nl: text("description_nl"),
                en: None,
            },
            kind: self.v("kind").to_owned(),
            level: text("level"),
            nlqf: None,
            crebo: None,
            croho: None,
            modality: self.v("modality").to_owned(),
            schedule: None,
            runs,
            costs,
            study_load_hours: text("study_load_hours").and_then(|h| h.parse().ok()),
            languages: self
                .v("languages")
                .split([',', ' '])
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
            credential: text("credential"),
            skills,
            status: text("status"),
        })
    }
}

/// `run_start_3` → 3 for prefix `run_`.
fn row_of(key: &str, prefix: &str) -> Option<usize> {
    key.strip_prefix(prefix)?.rsplit('_').next()?.parse().ok()
}

/// The form's field for a field of the offer format: `runs[0].start` → `run_start_0`.
pub fn form_field(field: &str) -> String {
    let row = |rest: &str, prefix: &str| -> Option<String> {
        let (i, sub) = rest.split_once("].")?;
        let name = match (prefix, sub) {
            ("run", "municipality") => "place",
            ("run", "application_deadline") => "deadline",
            ("cost", "amount_cents") => "amount",
            ("cost", "vat_percent") => "vat",
            ("cost", "kind") => "kind",
            (_, other) => other,
        };
        Some(format!("{prefix}_{name}_{i}"))
    };
    if let Some(rest) = field.strip_prefix("runs[") {
        return row(rest, "run").unwrap_or_else(|| "runs".into());
    }
    if let Some(rest) = field.strip_prefix("costs[") {
        return row(rest, "cost").unwrap_or_else(|| "costs".into());
    }
    if field.starts_with("languages") {
        return "languages".into();
    }
    if field.starts_with("skills") {
        return "skills".into();
    }
    match field {
        "title" | "title.nl" => "title_nl".into(),
        "schedule" => "runs".into(),
        other => other.replace('.', "_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_fields_land_on_form_fields() {
        assert_eq!(form_field("runs[2].start"), "run_start_2");
        assert_eq!(form_field("runs[0].municipality"), "run_place_0");
        assert_eq!(form_field("costs[1].amount_cents"), "cost_amount_1");
        assert_eq!(form_field("title"), "title_nl");
        assert_eq!(form_field("summary.en"), "summary_en");
        assert_eq!(form_field("languages[0]"), "languages");
    }

    #[test]
    fn a_form_round_trips_an_offer() {
        let input = OfferInput {
            provider_offer_id: "VCA-1".into(),
            title: LocalizedInput {
                nl: Some("Basisveiligheid VCA".into()),
                en: None,
            },
            kind: "course".into(),
            modality: "on_site".into(),
            runs: vec![RunInput {
                id: Some("r1".into()),
                start: Some("2027-03-01".into()),
                end: Some("2027-03-02".into()),
                municipality: Some("GM0917".into()),
                status: Some("open".into()),
                application_deadline: None,
            }],
            costs: vec![CostInput {
                kind: "tuition".into(),
                amount_cents: Money::from_cents(45_050),
                vat_percent: Some(21),
                required: Some(true),
            }],
            languages: vec!["nl".into()],
            study_load_hours: Some(16),
            credential: Some("certificate".into()),
            status: Some("published".into()),
            ..OfferInput::default()
        };
        let form = OfferForm::of_input(&input);
        assert_eq!(form.v("cost_amount_0"), "450,50");
        assert_eq!(form.to_input("bad").expect("reads back"), input);
    }
}

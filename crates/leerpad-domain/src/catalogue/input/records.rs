//! The input records: an offer, its provider, runs and cost lines exactly as given, in the
//! exchange format of imports and the API, before any validation.

use crate::shared::Money;
use serde::{Deserialize, Serialize};

/// Text in Dutch and English as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedInput {
    #[serde(default)]
    pub nl: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

/// The provider of an offer, in files that carry several providers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    pub kvk: String,
    pub name: String,
    #[serde(default)]
    pub accreditations: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Other names the organisation trades under (handelsnamen).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trading_names: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    /// CBS code (`GM0363`) or name of the municipality.
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub application_deadline: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostInput {
    pub kind: String,
    pub amount_cents: Money,
    #[serde(default)]
    pub vat_percent: Option<i64>,
    #[serde(default)]
    pub required: Option<bool>,
}

/// An offer as given; the exchange format of `leerpad import offers` (JSON Lines) and of
/// `POST /api/v1/offers:batch`. Enumerations are plain strings here so that a wrong value is
/// reported with its field rather than as a parse failure of the whole line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// Required in multi-provider files; the API takes the caller's organisation instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderInput>,
    pub provider_offer_id: String,
    pub title: LocalizedInput,
    #[serde(default)]
    pub summary: LocalizedInput,
    #[serde(default)]
    pub description: LocalizedInput,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlqf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crebo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub croho: Option<String>,
    pub modality: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default)]
    pub runs: Vec<RunInput>,
    #[serde(default)]
    pub costs: Vec<CostInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_load_hours: Option<i64>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// ESCO skill URIs. When empty, Leerpad extracts skills from the text.
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

fn localized_input(l: &crate::shared::Localized) -> LocalizedInput {
    let some = |t: &str| (!t.is_empty()).then(|| t.to_owned());
    LocalizedInput {
        nl: some(&l.nl),
        en: some(&l.en),
    }
}

impl OfferInput {
    /// A stored offer as input again, so a form can show it for editing and save it back
    /// through the same rules. Skills Leerpad extracted are left out: they are found again
    /// from the (possibly changed) text.
    pub fn of_content(provider_offer_id: &str, c: &crate::catalogue::OfferContent) -> OfferInput {
        let date = |d: Option<crate::shared::Date>| d.map(|d| d.to_string());
        OfferInput {
            provider: None,
            provider_offer_id: provider_offer_id.to_owned(),
            title: localized_input(&c.title),
            summary: localized_input(&c.summary),
            description: localized_input(&c.description),
            kind: c.kind.as_str().to_owned(),
            level: c.level.map(|l| l.as_str().to_owned()),
            nlqf: c.nlqf.map(i64::from),
            crebo: c.crebo.clone(),
            croho: c.croho.clone(),
            modality: c.modality.as_str().to_owned(),
            schedule: Some(c.schedule.as_str().to_owned()),
            runs: c
                .runs
                .iter()
                .map(|r| RunInput {
                    id: Some(r.id.clone()),
                    start: date(r.start),
                    end: date(r.end),
                    municipality: r.municipality.clone(),
                    status: Some(r.status.as_str().to_owned()),
                    application_deadline: date(r.application_deadline),
                })
                .collect(),
            costs: c
                .costs
                .iter()
                .map(|k| CostInput {
                    kind: k.kind.as_str().to_owned(),
                    amount_cents: k.amount_cents,
                    vat_percent: Some(i64::from(k.vat_percent)),
                    required: Some(k.required),
                })
                .collect(),
            study_load_hours: c.study_load_hours.map(i64::from),
            languages: c.languages.clone(),
            credential: Some(c.credential.as_str().to_owned()),
            skills: c
                .skills
                .iter()
                .filter(|s| s.source == crate::catalogue::SkillSource::Provider)
                .map(|s| s.uri.clone())
                .collect(),
            status: Some(c.status.as_str().to_owned()),
        }
    }
}

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

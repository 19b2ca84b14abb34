//! Offers as they arrive (from a file, the API or a form) and the rules that turn them into
//! [`OfferContent`](crate::catalogue::model::OfferContent). Every problem is reported with the
//! field it concerns, all at once, so a provider can fix a file in one pass.
//!
//! This file holds the limits and what validation needs of the world; the input records, the
//! field readers, the provider, the offer and its runs each have their own file.

mod errors;
mod offer;
mod provider;
mod records;
mod runs;
#[cfg(test)]
mod tests;

pub use offer::{OfferDraft, validate_offer};
pub use provider::{ProviderDraft, validate_provider};
pub use records::{CostInput, LocalizedInput, OfferInput, ProviderInput, RunInput};

use crate::regions::Regions;

/// Longest accepted texts, in characters.
pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 2_000;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_ID: usize = 100;
pub const MAX_RUNS: usize = 200;
pub const MAX_COSTS: usize = 30;
pub const MAX_SKILLS: usize = 100;
/// Ten million euros: anything above is a typing error.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000_000;

/// What validation needs to know of the world.
pub struct Checks<'a> {
    pub regions: &'a Regions,
    /// The canonical ESCO URI of a skill given by URI or key, if it exists.
    pub skill_uri: &'a dyn Fn(&str) -> Option<String>,
}

impl std::fmt::Debug for Checks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checks")
    }
}

//! The training catalogue (scholingsoverzicht): providers and their offers, the rules an offer
//! must meet, and the search model.

pub mod input;
pub mod kvk;
pub mod model;
pub mod ports;
pub mod search;

pub use input::{
    Checks, CostInput, LocalizedInput, OfferDraft, OfferInput, ProviderDraft, ProviderInput,
    RunInput, validate_offer, validate_provider,
};
pub use kvk::KvkNumber;
pub use model::*;

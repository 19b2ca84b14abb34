//! Leerpad's exchange formats, read into domain types with every problem reported by file,
//! line and field.
//!
//! - [`offers`]: training offers as JSON Lines (Leerpad's own format, one
//!   [`OfferInput`](leerpad_domain::catalogue::OfferInput) per line), CSV (one row per run) and
//!   EDU-DEX program JSON (the Dutch exchange standard).
//! - [`regions`]: the bundled CBS table of municipalities, provinces and labour-market regions.
//! - [`journal`]: the ledger as a beancount journal for auditors.
//! - [`spreadsheet`]: cells for the CSV reports people open in a spreadsheet (no formulas).

pub mod demand;
pub mod initiatives;
pub mod journal;
pub mod offers;
pub mod regions;
pub mod sbb;
pub mod spreadsheet;

//! ESCO data in and out of Leerpad.
//!
//! - [`read_bundle`] reads a directory in the official ESCO CSV bundle layout
//!   (`skills_en.csv`, `occupations_nl.csv`, `occupationSkillRelations.csv`, …), in any of ESCO's
//!   languages, into a [`TaxonomyData`]. Columns are found by their header, errors name the file,
//!   line and column.
//! - [`pack`] / [`unpack`] write and read the compact form committed to the repository
//!   (`data/esco/taxonomy.bin.gz`), and [`bundled`] returns that copy, compiled into the binary,
//!   so a fresh clone has the taxonomy with no extra step.

mod bundle;
mod job_offers;
mod packed;
mod senses;

pub use bundle::{BundleReport, EscoError, read_bundle};
pub use job_offers::bundled_job_offers;
pub use packed::{PackError, bundled, pack, unpack};
pub use senses::{SensesError, bundled_senses, unpack_senses};

pub use leerpad_domain::taxonomy::TaxonomyData;

/// Attribution required by the ESCO licence (Commission Decision 2011/833/EU).
pub const ATTRIBUTION: &str =
    "This service uses the ESCO classification of the European Commission.";

//! The facet counts of one search: a tally per facet value, summed over segments and turned
//! into the domain's [`FacetCounts`] at the end.

use crate::layout::Places;
use leerpad_domain::catalogue::search::{
    FACET_LANGUAGES, Facet, FacetCounts, FacetValue, LoadBand, PriceBand, START_WITHIN_WEEKS,
};
use leerpad_domain::catalogue::{Credential, Level, Modality, OfferKind};

#[derive(Debug, Clone)]
pub struct Counts {
    pub(super) kind: [u64; 16],
    pub(super) level: [u64; 8],
    pub(super) modality: [u64; 4],
    pub(super) credential: [u64; 16],
    pub(super) price: [u64; 8],
    pub(super) load: [u64; 8],
    pub(super) language: [u64; 4],
    /// Provinces in bits 0..16, regions in bits 16..64.
    pub(super) places: [u64; 64],
    pub(super) start: [u64; START_WITHIN_WEEKS.len()],
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            kind: [0; 16],
            level: [0; 8],
            modality: [0; 4],
            credential: [0; 16],
            price: [0; 8],
            load: [0; 8],
            language: [0; 4],
            places: [0; 64],
            start: [0; START_WITHIN_WEEKS.len()],
        }
    }
}

impl Counts {
    pub(super) fn add(&mut self, other: &Counts) {
        fn sum<const N: usize>(a: &mut [u64; N], b: &[u64; N]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        sum(&mut self.kind, &other.kind);
        sum(&mut self.level, &other.level);
        sum(&mut self.modality, &other.modality);
        sum(&mut self.credential, &other.credential);
        sum(&mut self.price, &other.price);
        sum(&mut self.load, &other.load);
        sum(&mut self.language, &other.language);
        sum(&mut self.places, &other.places);
        sum(&mut self.start, &other.start);
    }

    pub fn into_facets(self, places: &Places) -> FacetCounts {
        fn values<T: std::fmt::Display>(all: &[T], counts: &[u64], skip: usize) -> Vec<FacetValue> {
            all.iter()
                .zip(counts.iter().skip(skip))
                .map(|(v, c)| FacetValue {
                    value: v.to_string(),
                    count: *c,
                })
                .collect()
        }
        let named = |names: &[String], offset: usize| -> Vec<FacetValue> {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| FacetValue {
                    value: n.clone(),
                    count: self.places.get(i + offset).copied().unwrap_or(0),
                })
                .collect()
        };
        FacetCounts(vec![
            (Facet::Kind, values(OfferKind::ALL, &self.kind, 0)),
            (Facet::Level, values(Level::ALL, &self.level, 1)),
            (Facet::Modality, values(Modality::ALL, &self.modality, 0)),
            (Facet::Province, named(&places.provinces, 0)),
            (Facet::Region, named(&places.regions, 16)),
            (Facet::Price, values(PriceBand::ALL, &self.price, 0)),
            (Facet::Load, values(LoadBand::ALL, &self.load, 1)),
            (
                Facet::Credential,
                values(Credential::ALL, &self.credential, 0),
            ),
            (Facet::Language, values(&FACET_LANGUAGES, &self.language, 0)),
            (Facet::Start, values(&START_WITHIN_WEEKS, &self.start, 0)),
        ])
    }
}

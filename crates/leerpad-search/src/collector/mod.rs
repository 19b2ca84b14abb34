//! One pass over the matching documents that filters, counts every facet and keeps the best
//! results. Facet counts are "disjunctive": a document that fails only the filter of facet F
//! still counts for F's values, so choosing one value of a facet leaves the others visible
//! with honest counts.
//!
//! The pass itself is here; the tallies are in [`counts`], the kept results in [`top`] and the
//! decoded columns it reads in [`columns`].

mod columns;
mod counts;
mod top;

use columns::SegmentColumns;
pub use columns::{ColumnCache, columns_for};
pub use counts::Counts;
use leerpad_domain::shared::{Date, OfferId};

use crate::layout::{Codes, Places, Starts, day_number};
use leerpad_domain::catalogue::search::{
    FACET_LANGUAGES, Hit, LoadBand, OfferFilters, PriceBand, START_WITHIN_WEEKS,
};
use leerpad_domain::catalogue::{Credential, Level, Modality, OfferKind};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentReader};
use top::{Entry, TopK};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Score,
    PriceAsc,
    PriceDesc,
    /// Soonest upcoming start first; offers without one last.
    Start,
}

/// Facet positions, in the order of `Facet::ALL`.
const KIND: usize = 0;
const LEVEL: usize = 1;
const MODALITY: usize = 2;
const PROVINCE: usize = 3;
const REGION: usize = 4;
const PRICE: usize = 5;
const LOAD: usize = 6;
const CREDENTIAL: usize = 7;
const LANGUAGE: usize = 8;
const START: usize = 9;

fn bits<T: PartialEq>(all: &[T], chosen: &[T], offset: usize) -> u64 {
    chosen
        .iter()
        .filter_map(|c| all.iter().position(|x| x == c))
        .fold(0, |m, i| m | 1 << (i + offset))
}

/// The filters as bit masks (0 = no filter on that facet).
#[derive(Debug, Clone, Copy, Default)]
struct Masks {
    kind: u64,
    level: u64,
    modality: u64,
    credential: u64,
    price: u64,
    load: u64,
    language: u64,
    province: u64,
    region: u64,
    start_days: Option<u16>,
    provider: Option<u64>,
}

pub struct FacetCollector {
    cache: ColumnCache,
    masks: Masks,
    today: u16,
    sort: Sort,
    k: usize,
    scored: bool,
}

impl FacetCollector {
    pub fn new(
        cache: ColumnCache,
        filters: &OfferFilters,
        places: &Places,
        today: Date,
        sort: Sort,
        k: usize,
        scored: bool,
    ) -> Self {
        let today = day_number(today);
        let masks = Masks {
            kind: bits(OfferKind::ALL, &filters.kinds, 0),
            level: bits(Level::ALL, &filters.levels, 1),
            modality: bits(Modality::ALL, &filters.modalities, 0),
            credential: bits(Credential::ALL, &filters.credentials, 0),
            price: bits(PriceBand::ALL, &filters.prices, 0),
            load: bits(LoadBand::ALL, &filters.loads, 1),
            language: filters
                .languages
                .iter()
                .map(|l| {
                    FACET_LANGUAGES
                        .iter()
                        .position(|x| x == l)
                        .unwrap_or(FACET_LANGUAGES.len() - 1)
                })
                .fold(0, |m, i| m | 1 << i),
            province: places.province_mask(&filters.provinces),
            region: places.region_mask(&filters.regions),
            start_days: filters
                .start_within_weeks
                .map(|w| today.saturating_add((w.min(520) * 7) as u16)),
            provider: filters.provider_id.map(|p| p.get() as u64),
        };
        FacetCollector {
            cache,
            masks,
            today,
            sort,
            k,
            scored,
        }
    }
}

pub struct Found {
    pub total: u64,
    pub counts: Counts,
    pub top: Vec<Hit>,
}

/// What one segment found, best entries first.
pub struct SegmentFound {
    total: u64,
    counts: Counts,
    top: Vec<Entry>,
}

type Col = Arc<dyn ColumnValues<u64>>;

/// Documents are handled a block at a time: columns are decoded for the block in one call each.
const BLOCK: usize = 64;

pub struct Segment {
    masks: Masks,
    /// For each value of a packed field, the facet bit it fails (0 when it passes).
    fail_kind: [u16; 16],
    fail_level: [u16; 8],
    fail_modality: [u16; 4],
    fail_credential: [u16; 16],
    fail_price: [u16; 8],
    fail_load: [u16; 8],
    /// Whether any filter is set: without filters every published document counts everywhere.
    filtered: bool,
    today: u16,
    /// The last day of each "starts within" window.
    windows: [u16; START_WITHIN_WEEKS.len()],
    sort: Sort,
    columns: Arc<SegmentColumns>,
    provider: Option<Col>,
    total: u64,
    counts: Counts,
    top: TopK,
    pending_docs: Vec<DocId>,
    pending_scores: Vec<Score>,
}

/// A table of fail bits: `facet_bit` for each value not in `mask` (when the mask is set).
fn fail_table<const N: usize>(mask: u64, facet: usize) -> [u16; N] {
    let mut t = [0u16; N];
    if mask != 0 {
        for (v, slot) in t.iter_mut().enumerate() {
            if mask & (1 << v) == 0 {
                *slot = 1 << facet;
            }
        }
    }
    t
}

impl Collector for FacetCollector {
    type Fruit = Found;
    type Child = Segment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<Segment> {
        let columns = columns_for(&self.cache, segment)?;
        let provider = match self.masks.provider {
            Some(_) => Some(
                segment
                    .fast_fields()
                    .u64("provider")?
                    .first_or_default_col(0),
            ),
            None => None,
        };
        let m = &self.masks;
        Ok(Segment {
            masks: self.masks,
            fail_kind: fail_table(m.kind, KIND),
            fail_level: fail_table(m.level, LEVEL),
            fail_modality: fail_table(m.modality, MODALITY),
            fail_credential: fail_table(m.credential, CREDENTIAL),
            fail_price: fail_table(m.price, PRICE),
            fail_load: fail_table(m.load, LOAD),
            filtered: m.kind
                | m.level
                | m.modality
                | m.credential
                | m.price
                | m.load
                | m.language
                | m.province
                | m.region
                != 0
                || m.start_days.is_some(),
            today: self.today,
            windows: START_WITHIN_WEEKS.map(|w| self.today.saturating_add((w * 7) as u16)),
            sort: self.sort,
            columns,
            provider,
            total: 0,
            counts: Counts::default(),
            top: TopK::new(self.k),
            pending_docs: Vec::with_capacity(BLOCK),
            pending_scores: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFound>) -> tantivy::Result<Found> {
        let mut total = 0;
        let mut counts = Counts::default();
        let mut top = TopK::new(self.k);
        for f in fruits {
            total += f.total;
            counts.add(&f.counts);
            for e in f.top {
                top.push(e);
            }
        }
        Ok(Found {
            total,
            counts,
            top: top
                .into_sorted()
                .into_iter()
                .map(|e| Hit {
                    offer_id: OfferId::new(e.offer_id as i64),
                    score: e.score,
                })
                .collect(),
        })
    }
}

impl Segment {
    #[inline]
    fn price(&self, doc: DocId) -> u32 {
        self.columns.prices.get(doc as usize).copied().unwrap_or(0)
    }

    fn key(&self, doc: DocId, score: Score, next_start: Option<u16>) -> f64 {
        match self.sort {
            Sort::Score => f64::from(score),
            Sort::PriceAsc => -f64::from(self.price(doc)),
            Sort::PriceDesc => f64::from(self.price(doc)),
            Sort::Start => next_start.map_or(f64::MIN, |d| -f64::from(d)),
        }
    }

    #[inline]
    fn count_bits<const N: usize>(counts: &mut [u64; N], mut m: u64) {
        while m != 0 {
            // N is a power of two, so the mask keeps the index in bounds without a check.
            counts[m.trailing_zeros() as usize & (N - 1)] += 1;
            m &= m - 1;
        }
    }

    #[inline]
    fn count_start(&mut self, next: Option<u16>) {
        if let Some(n) = next {
            for (count, end) in self.counts.start.iter_mut().zip(self.windows) {
                *count += u64::from(n <= end);
            }
        }
    }

    /// Count the values of one facet (the only one a document fails).
    fn count_facet(&mut self, facet: usize, c: Codes, places: u64, next: Option<u16>) {
        match facet {
            KIND => self.counts.kind[c.kind()] += 1,
            LEVEL => self.counts.level[c.level()] += 1,
            MODALITY => self.counts.modality[c.modality()] += 1,
            PROVINCE => Self::count_bits(&mut self.counts.places, places & 0xffff),
            REGION => Self::count_bits(&mut self.counts.places, places & !0xffff),
            PRICE => self.counts.price[c.price()] += 1,
            LOAD => self.counts.load[c.load()] += 1,
            CREDENTIAL => self.counts.credential[c.credential()] += 1,
            LANGUAGE => Self::count_bits(&mut self.counts.language, c.languages()),
            _ => self.count_start(next),
        }
    }

    /// Count every facet of a document that passes all filters.
    #[inline]
    fn count_all(&mut self, c: Codes, places: u64, next: Option<u16>) {
        self.total += 1;
        let k = &mut self.counts;
        k.kind[c.kind()] += 1;
        k.level[c.level()] += 1;
        k.modality[c.modality()] += 1;
        k.price[c.price()] += 1;
        k.load[c.load()] += 1;
        k.credential[c.credential()] += 1;
        Self::count_bits(&mut k.language, c.languages());
        Self::count_bits(&mut k.places, places);
        self.count_start(next);
    }

    /// The facet bits a document fails.
    #[inline]
    fn fails(&self, c: Codes, places: u64, next: Option<u16>) -> u16 {
        let m = &self.masks;
        let mut f = self.fail_kind[c.kind()]
            | self.fail_level[c.level()]
            | self.fail_modality[c.modality()]
            | self.fail_credential[c.credential()]
            | self.fail_price[c.price()]
            | self.fail_load[c.load()];
        if m.language != 0 && c.languages() & m.language == 0 {
            f |= 1 << LANGUAGE;
        }
        if m.province != 0 && places & m.province == 0 {
            f |= 1 << PROVINCE;
        }
        if m.region != 0 && places & m.region == 0 {
            f |= 1 << REGION;
        }
        if let Some(to) = m.start_days
            && next.is_none_or(|n| n > to)
        {
            f |= 1 << START;
        }
        f
    }

    /// Handle a block of documents (with their scores when scored).
    fn process(&mut self, docs: &[DocId], scores: &[Score]) {
        let columns = self.columns.clone();
        for (i, &doc) in docs.iter().enumerate() {
            let d = doc as usize;
            let Some(&code) = columns.codes.get(d) else {
                continue;
            };
            let c = Codes(u64::from(code));
            if !c.published() {
                continue;
            }
            if let (Some(p), Some(col)) = (self.masks.provider, &self.provider)
                && col.get_val(doc) != p
            {
                continue;
            }
            let places = columns.places.get(d).copied().unwrap_or(0);
            let next = Starts(columns.starts.get(d).copied().unwrap_or(0)).next(self.today);
            let fails = if self.filtered {
                self.fails(c, places, next)
            } else {
                0
            };
            if fails == 0 {
                self.count_all(c, places, next);
                let score = scores.get(i).copied().unwrap_or(0.0);
                let key = self.key(doc, score, next);
                if self.top.accepts(key) {
                    let offer_id = columns.ids.get(d).copied().unwrap_or(0);
                    self.top.push(Entry {
                        key,
                        offer_id,
                        score,
                    });
                }
            } else if fails.is_power_of_two() {
                self.count_facet(fails.trailing_zeros() as usize, c, places, next);
            }
        }
    }

    fn flush(&mut self) {
        if self.pending_docs.is_empty() {
            return;
        }
        let docs = std::mem::take(&mut self.pending_docs);
        let scores = std::mem::take(&mut self.pending_scores);
        self.process(&docs, &scores);
        self.pending_docs = docs;
        self.pending_docs.clear();
        self.pending_scores = scores;
        self.pending_scores.clear();
    }
}

impl SegmentCollector for Segment {
    type Fruit = SegmentFound;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.pending_docs.push(doc);
        self.pending_scores.push(score);
        if self.pending_docs.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.flush();
        for chunk in docs.chunks(BLOCK) {
            self.process(chunk, &[]);
        }
    }

    fn harvest(mut self) -> SegmentFound {
        self.flush();
        SegmentFound {
            total: self.total,
            counts: self.counts,
            top: self.top.into_sorted(),
        }
    }
}

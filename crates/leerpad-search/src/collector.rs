//! One pass over the matching documents that filters, counts every facet and keeps the best
//! results. Facet counts are "disjunctive": a document that fails only the filter of facet F
//! still counts for F's values, so choosing one value of a facet leaves the others visible
//! with honest counts.

use crate::layout::{Codes, Places, Starts, day_number};
use leerpad_domain::catalogue::search::{
    FACET_LANGUAGES, Facet, FacetCounts, FacetValue, Hit, LoadBand, OfferFilters, PriceBand,
    START_WITHIN_WEEKS,
};
use leerpad_domain::catalogue::{Credential, Level, Modality, OfferKind};
use leerpad_domain::shared::Date;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentReader};

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

#[derive(Debug, Clone)]
pub struct Counts {
    kind: [u64; 16],
    level: [u64; 8],
    modality: [u64; 4],
    credential: [u64; 16],
    price: [u64; 8],
    load: [u64; 8],
    language: [u64; 4],
    /// Provinces in bits 0..16, regions in bits 16..64.
    places: [u64; 64],
    start: [u64; START_WITHIN_WEEKS.len()],
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
    fn add(&mut self, other: &Counts) {
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

/// A result candidate: higher `key` is better; ties go to the lower offer id.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: f64,
    offer_id: u64,
    score: Score,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// "Greater" is worse, so a max-heap keeps the worst kept entry on top.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .key
            .total_cmp(&self.key)
            .then(self.offer_id.cmp(&other.offer_id))
    }
}

/// The k best entries seen.
#[derive(Debug, Clone, Default)]
struct TopK {
    k: usize,
    heap: BinaryHeap<Entry>,
    /// The key of the worst kept entry once full (−∞ before): cheaper than a heap peek.
    threshold: f64,
}

impl TopK {
    /// Whether an entry with this key could still make the list (ties included; the push
    /// decides them by offer id).
    #[inline]
    fn accepts(&self, key: f64) -> bool {
        key >= self.threshold
    }

    fn push(&mut self, e: Entry) {
        if self.heap.len() < self.k {
            self.heap.push(e);
        } else if let Some(worst) = self.heap.peek()
            && e < *worst
        {
            self.heap.pop();
            self.heap.push(e);
        }
        if self.heap.len() >= self.k {
            self.threshold = self.heap.peek().map_or(f64::NEG_INFINITY, |w| w.key);
        }
    }

    fn into_sorted(self) -> Vec<Entry> {
        self.heap.into_sorted_vec()
    }
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
            provider: filters.provider_id.map(|p| p as u64),
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

/// A segment's filter and sort columns, decoded once into plain arrays (about 32 bytes per
/// offer): a search then reads memory instead of decoding bit-packed columns. Segments never
/// change, so the arrays are kept until the segment is merged away.
#[derive(Debug, Default)]
pub struct SegmentColumns {
    codes: Vec<u32>,
    places: Vec<u64>,
    starts: Vec<u64>,
    prices: Vec<u32>,
    ids: Vec<u64>,
}

impl SegmentColumns {
    pub fn decode(segment: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let ff = segment.fast_fields();
        let max = segment.max_doc();
        let read = |name: &str| -> tantivy::Result<Vec<u64>> {
            let column = ff.u64(name)?.first_or_default_col(0);
            let docs: Vec<DocId> = (0..max).collect();
            let mut out = vec![0u64; max as usize];
            for (d, o) in docs.chunks(1024).zip(out.chunks_mut(1024)) {
                column.get_vals(d, o);
            }
            Ok(out)
        };
        Ok(SegmentColumns {
            codes: read("codes")?.into_iter().map(|c| c as u32).collect(),
            places: read("places")?,
            starts: read("starts")?,
            prices: read("price")?
                .into_iter()
                .map(|p| p.min(u64::from(u32::MAX)) as u32)
                .collect(),
            ids: read("id")?,
        })
    }

    /// Bytes held, for reporting.
    pub fn bytes(&self) -> usize {
        self.codes.len() * 4
            + self.places.len() * 8
            + self.starts.len() * 8
            + self.prices.len() * 4
            + self.ids.len() * 8
    }
}

/// Decoded columns per segment, shared by all searches.
pub type ColumnCache = Arc<
    std::sync::Mutex<std::collections::HashMap<tantivy::index::SegmentId, Arc<SegmentColumns>>>,
>;

/// The decoded columns of a segment, from the cache or decoded now.
pub fn columns_for(
    cache: &ColumnCache,
    segment: &SegmentReader,
) -> tantivy::Result<Arc<SegmentColumns>> {
    let id = segment.segment_id();
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(&id).cloned()) {
        return Ok(c);
    }
    let decoded = Arc::new(SegmentColumns::decode(segment)?);
    if let Ok(mut m) = cache.lock() {
        m.insert(id, decoded.clone());
    }
    Ok(decoded)
}

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
            top: TopK {
                k: self.k,
                heap: BinaryHeap::with_capacity(self.k + 1),
                threshold: f64::NEG_INFINITY,
            },
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
        let mut top = TopK {
            k: self.k,
            heap: BinaryHeap::with_capacity(self.k + 1),
            threshold: f64::NEG_INFINITY,
        };
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
                    offer_id: e.offer_id as i64,
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

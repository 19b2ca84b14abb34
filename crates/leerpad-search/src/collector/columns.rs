//! The filter and sort columns of each segment, decoded once into plain arrays and cached per
//! segment, so searches read memory instead of tantivy's bit-packed columns.

use std::sync::Arc;
use tantivy::{DocId, SegmentReader};

/// A segment's filter and sort columns, decoded once into plain arrays (about 32 bytes per
/// offer): a search then reads memory instead of decoding bit-packed columns. Segments never
/// change, so the arrays are kept until the segment is merged away.
#[derive(Debug, Default)]
pub struct SegmentColumns {
    pub(super) codes: Vec<u32>,
    pub(super) places: Vec<u64>,
    pub(super) starts: Vec<u64>,
    pub(super) prices: Vec<u32>,
    pub(super) ids: Vec<u64>,
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

//! The best results of a search so far: a bounded heap that keeps the k best candidates and
//! tells cheaply whether a new one could still make the list.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::Score;

/// A result candidate: higher `key` is better; ties go to the lower offer id.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) key: f64,
    pub(super) offer_id: u64,
    pub(super) score: Score,
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
#[derive(Debug, Clone)]
pub(super) struct TopK {
    k: usize,
    heap: BinaryHeap<Entry>,
    /// The key of the worst kept entry once full (−∞ before): cheaper than a heap peek.
    threshold: f64,
}

impl TopK {
    /// An empty list that keeps the `k` best entries.
    pub(super) fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
            threshold: f64::NEG_INFINITY,
        }
    }

    /// Whether an entry with this key could still make the list (ties included; the push
    /// decides them by offer id).
    #[inline]
    pub(super) fn accepts(&self, key: f64) -> bool {
        key >= self.threshold
    }

    pub(super) fn push(&mut self, e: Entry) {
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

    pub(super) fn into_sorted(self) -> Vec<Entry> {
        self.heap.into_sorted_vec()
    }
}

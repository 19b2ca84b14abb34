//! Ranking quality measures used by the evaluation commands.

/// |top-k ∩ gold| / min(k, |gold|); 0 when there is no gold item.
pub fn r_precision_at<T: PartialEq>(ranked: &[T], gold: &[T], k: usize) -> f64 {
    let denom = k.min(gold.len());
    if denom == 0 {
        return 0.0;
    }
    let hits = ranked.iter().take(k).filter(|r| gold.contains(r)).count();
    hits as f64 / denom as f64
}

/// 1 / rank of the first gold item in the ranking; 0 when none is ranked.
pub fn reciprocal_rank<T: PartialEq>(ranked: &[T], gold: &[T]) -> f64 {
    ranked
        .iter()
        .position(|r| gold.contains(r))
        .map(|p| 1.0 / (p + 1) as f64)
        .unwrap_or(0.0)
}

/// 1 when a gold item is among the first `k`, else 0.
pub fn hit_at<T: PartialEq>(ranked: &[T], gold: &[T], k: usize) -> f64 {
    if ranked.iter().take(k).any(|r| gold.contains(r)) {
        1.0
    } else {
        0.0
    }
}

/// Mean of the values; 0 for none.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_precision_uses_the_smaller_of_k_and_gold() {
        assert_eq!(r_precision_at(&[1, 2, 3, 4, 5], &[2, 9], 5), 0.5);
        assert_eq!(r_precision_at(&[1, 2, 3], &[1, 2, 3, 4, 5, 6], 2), 1.0);
        assert_eq!(r_precision_at::<u32>(&[], &[], 5), 0.0);
    }

    #[test]
    fn reciprocal_rank_and_hits() {
        assert_eq!(reciprocal_rank(&[4, 5, 6], &[6]), 1.0 / 3.0);
        assert_eq!(reciprocal_rank(&[4], &[6]), 0.0);
        assert_eq!(hit_at(&[1, 2, 3], &[3], 2), 0.0);
        assert_eq!(hit_at(&[1, 2, 3], &[3], 3), 1.0);
        assert_eq!(mean(&[1.0, 0.0]), 0.5);
    }
}

//! How often each ESCO occupation is advertised: job-offer counts from the UK, Germany and Spain
//! (`data/demand/job-offers-per-occupation.csv`, derived from
//! `shared/data/demand/job_offers_by_esco_occupation_uk_de_es.csv`, 267,677 offers).
//!
//! Not Dutch labour-market data: a prior for "which occupation does a vacancy title most likely
//! mean" and the base of generated demo demand. Real deployments import their own demand.

/// The bundled counts, compiled into the binary.
static BUNDLED: &str = include_str!("../../../data/demand/job-offers-per-occupation.csv");

/// Job offers per occupation key (last URI segment), for the occupations advertised at least once.
pub fn bundled_job_offers() -> Vec<(&'static str, u32)> {
    BUNDLED
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let key = fields.next()?.trim();
            let count = fields.next()?.trim().parse().ok()?;
            Some((key, count))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_counts_parse() {
        let counts = super::bundled_job_offers();
        assert_eq!(counts.len(), 1085);
        assert!(counts.iter().all(|(k, c)| k.len() == 36 && *c > 0));
        assert_eq!(
            counts.iter().map(|(_, c)| u64::from(*c)).sum::<u64>(),
            267_677
        );
    }
}

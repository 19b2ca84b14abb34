//! Generated demo demand: vacancies, job seekers and trends per ESCO occupation for the
//! Netherlands and each of its 35 labour-market regions (arbeidsmarktregio's).
//!
//! Built on real relative frequencies: how often each occupation is advertised in the UK,
//! Germany and Spain (267,677 job offers over 1,085 occupations). Those counts are scaled to
//! a Dutch total of about 400,000 open vacancies; each region gets a share in proportion to its
//! number of municipalities (a rough size measure: the bundled data has no population), varied
//! per occupation. Tension and trend follow the sector (ISCO major group) with the broad
//! direction of the Dutch market in 2025-2026 (care, technology and ICT tight and growing;
//! administrative and elementary work looser and shrinking), varied per occupation.
//!
//! Not real Dutch figures: a plausible shape for the demo. Real deployments import UWV data
//! with `leerpad import demand`.

use leerpad_domain::matching::{Area, DemandRecord, DemandSubject};
use leerpad_domain::regions::Regions;
use leerpad_domain::taxonomy::TaxonomyData;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Open vacancies in the Netherlands the demo is scaled to.
pub const NATIONAL_VACANCIES: f64 = 400_000.0;

/// (vacancies per job seeker, yearly trend in percent) by ISCO major group.
fn sector_shape(major: char) -> (f64, f64) {
    match major {
        '1' => (0.9, 1.0),  // managers
        '2' => (1.6, 3.5),  // professionals (care, ICT, engineering, teaching)
        '3' => (1.8, 4.0),  // technicians and associate professionals
        '4' => (0.4, -5.0), // clerical support
        '5' => (1.0, 2.5),  // service and sales (care assistants, retail)
        '6' => (0.8, -3.0), // agriculture
        '7' => (1.7, 3.0),  // crafts and trades (installers, welders, electricians)
        '8' => (1.1, -1.0), // machine operators and drivers
        '9' => (0.5, -4.0), // elementary occupations
        _ => (1.0, 0.0),    // armed forces and unknown
    }
}

/// Demand records for period `period` (e.g. `2026-Q3`), the same for the same seed.
pub fn generate(
    taxonomy: &TaxonomyData,
    regions: &Regions,
    job_offers: &[(&str, u32)],
    period: &str,
    seed: u64,
) -> Vec<DemandRecord> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let by_key: HashMap<&str, &leerpad_domain::taxonomy::OccupationRecord> = taxonomy
        .occupations
        .iter()
        .map(|o| (leerpad_domain::taxonomy::key_of(&o.uri), o))
        .collect();
    let total: f64 = job_offers
        .iter()
        .map(|(_, c)| f64::from(*c))
        .sum::<f64>()
        .max(1.0);
    let mut region_size: Vec<(String, f64)> = regions
        .regions()
        .iter()
        .map(|r| {
            let n = regions
                .municipalities()
                .iter()
                .filter(|m| &m.region == r)
                .count();
            (r.clone(), n as f64)
        })
        .collect();
    let size_total: f64 = region_size.iter().map(|(_, n)| n).sum::<f64>().max(1.0);
    for (_, n) in &mut region_size {
        *n /= size_total;
    }
    let mut sorted: Vec<&(&str, u32)> = job_offers.iter().collect();
    sorted.sort();
    let mut out = Vec::new();
    for (key, count) in sorted {
        let Some(occupation) = by_key.get(key) else {
            continue;
        };
        let major = occupation.isco_code.chars().next().unwrap_or('0');
        let (tension, trend) = sector_shape(major);
        let tension = tension * rng.random_range(0.6..1.5);
        let trend = trend + rng.random_range(-3.0..3.0);
        let vacancies = (f64::from(*count) / total * NATIONAL_VACANCIES)
            .round()
            .max(1.0);
        let record = |area: Area, vacancies: f64, tension: f64| DemandRecord {
            subject: DemandSubject::Occupation(occupation.uri.clone()),
            area,
            period: period.to_owned(),
            vacancies: Some(vacancies as u32),
            job_seekers: Some((vacancies / tension).round() as u32),
            tension: None,
            trend_percent: Some((trend * 10.0).round() / 10.0),
        };
        out.push(record(Area::National, vacancies, tension));
        for (region, share) in &region_size {
            let v = (vacancies * share * rng.random_range(0.5..1.5)).round();
            if v < 1.0 {
                continue;
            }
            let t = tension * rng.random_range(0.7..1.4);
            out.push(record(Area::Region(region.clone()), v, t));
        }
    }
    out
}

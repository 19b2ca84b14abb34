//! Labour-market demand: how many vacancies and job seekers there are for an occupation in an
//! area and period, and whether that is growing. Demand weighs the occupations a person could
//! move to, and tells growing sectors from shrinking ones.

use crate::regions::Regions;
use crate::shared::FieldError;
use crate::taxonomy::{OccupationId, Taxonomy};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where a figure applies: the whole country, a province or a labour-market region
/// (arbeidsmarktregio, one of 35).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum Area {
    National,
    Province(String),
    Region(String),
}

impl Area {
    pub fn kind(&self) -> &'static str {
        match self {
            Area::National => "national",
            Area::Province(_) => "province",
            Area::Region(_) => "region",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Area::National => "",
            Area::Province(n) | Area::Region(n) => n,
        }
    }
}

/// What a demand figure is about: an ESCO occupation, or a whole ISCO group when the source
/// (UWV, CBS) counts by ISCO code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandSubject {
    /// The occupation's URI.
    Occupation(String),
    /// An ISCO-08 code of 1 to 4 digits.
    Isco(String),
}

/// One row of demand: vacancies and job seekers (or a ready-made tension figure) for a subject
/// in an area and period, with the year-on-year trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandRecord {
    pub subject: DemandSubject,
    pub area: Area,
    /// `2026`, `2026-Q3` or `2026-09`; later periods replace earlier ones.
    pub period: String,
    pub vacancies: Option<u32>,
    pub job_seekers: Option<u32>,
    /// Open vacancies per job seeker (the UWV "spanningsindicator"); computed from the counts
    /// when not given.
    pub tension: Option<f64>,
    /// Change in vacancies against a year before, in percent.
    pub trend_percent: Option<f64>,
}

impl DemandRecord {
    /// Vacancies per job seeker, given or computed.
    pub fn tension(&self) -> Option<f64> {
        self.tension.or(match (self.vacancies, self.job_seekers) {
            (Some(v), Some(s)) if s > 0 => Some(f64::from(v) / f64::from(s)),
            (Some(v), Some(0)) if v > 0 => Some(5.0),
            _ => None,
        })
    }
}

/// How a period sorts: `2026` < `2026-Q1` < `2026-01`… compare as (year, month-ish).
fn period_key(period: &str) -> Option<(u16, u8)> {
    let (year, rest) = match period.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (period, None),
    };
    if year.len() != 4 {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    let part = match rest {
        None => 0,
        Some(q) if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => {
            let n: u8 = q[1..].parse().ok()?;
            if !(1..=4).contains(&n) {
                return None;
            }
            n * 3
        }
        Some(m) if m.len() == 2 => {
            let n: u8 = m.parse().ok()?;
            if !(1..=12).contains(&n) {
                return None;
            }
            n
        }
        Some(_) => return None,
    };
    Some((year, part))
}

/// Check one record against the taxonomy and regions; errors name the field.
pub fn validate_record(
    record: &DemandRecord,
    taxonomy: &Taxonomy,
    regions: &Regions,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut fail =
        |field: &str, message: String| errors.push(FieldError::new(field.to_owned(), message));
    match &record.subject {
        DemandSubject::Occupation(uri) if taxonomy.occupation_id(uri).is_none() => fail(
            "occupation",
            format!("{uri:?} is not an ESCO occupation in the taxonomy"),
        ),
        DemandSubject::Isco(code)
            if !(1..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) =>
        {
            fail(
                "occupation",
                format!(
                    "{code:?} is neither an ESCO occupation URI nor an ISCO code of 1-4 digits"
                ),
            )
        }
        _ => {}
    }
    match &record.area {
        Area::Province(p) if regions.province_index(p).is_none() => fail(
            "area",
            format!(
                "{p:?} is not a province; expected one of {}",
                regions.provinces().join(", ")
            ),
        ),
        Area::Region(r) if regions.region_index(r).is_none() => fail(
            "area",
            format!("{r:?} is not one of the 35 arbeidsmarktregio's"),
        ),
        _ => {}
    }
    if period_key(&record.period).is_none() {
        fail(
            "period",
            format!(
                "{:?} is not a period; use a year (2026), quarter (2026-Q3) or month (2026-09)",
                record.period
            ),
        );
    }
    if record.vacancies.is_none() && record.job_seekers.is_none() && record.tension.is_none() {
        fail(
            "vacancies",
            "give vacancies, job_seekers or tension (at least one)".into(),
        );
    }
    if let Some(t) = record.tension
        && !(t.is_finite() && t >= 0.0)
    {
        fail("tension", format!("{t} must be a number of 0 or more"));
    }
    if let Some(t) = record.trend_percent
        && !(t.is_finite() && t > -100.0 && t < 10_000.0)
    {
        fail(
            "trend",
            format!("{t} is not a plausible change in percent (above -100)"),
        );
    }
    errors
}

/// Whether a sector or occupation is growing, stable or shrinking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Growing,
    Stable,
    Shrinking,
}

impl Direction {
    /// Above +2 % a year counts as growing, below -2 % as shrinking.
    pub fn of(trend_percent: f64) -> Direction {
        if trend_percent > 2.0 {
            Direction::Growing
        } else if trend_percent < -2.0 {
            Direction::Shrinking
        } else {
            Direction::Stable
        }
    }
}

/// Demand for one occupation as it applies to a person's area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccupationDemand {
    /// The area the figure comes from (the person's region, else wider).
    pub area: Area,
    pub period: String,
    pub vacancies: Option<u32>,
    pub job_seekers: Option<u32>,
    pub tension: Option<f64>,
    pub trend_percent: Option<f64>,
    /// True when the figure is for the occupation's ISCO group rather than the occupation.
    pub via_isco_group: bool,
}

impl OccupationDemand {
    /// Demand as a factor in [0, 1]: 0.5 at one vacancy per job seeker, rising towards 1.
    pub fn strength(&self) -> f64 {
        match self.tension {
            Some(t) => t / (t + 1.0),
            None => 0.5,
        }
    }
}

/// A sector (ISCO major group, one digit) and where it is going nationally.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorTrend {
    pub isco_major: String,
    pub vacancies: u64,
    pub trend_percent: f64,
    pub direction: Direction,
}

/// All demand figures, indexed for lookups by occupation and area. Only the latest period of
/// each (subject, area) is kept.
#[derive(Debug, Clone, Default)]
pub struct DemandTable {
    latest: HashMap<(DemandSubject, Area), DemandRecord>,
    sectors: HashMap<String, SectorTrend>,
}

impl DemandTable {
    /// Index `records`; the taxonomy gives each occupation its sector.
    pub fn new(records: Vec<DemandRecord>, taxonomy: &Taxonomy) -> DemandTable {
        let mut latest: HashMap<(DemandSubject, Area), DemandRecord> = HashMap::new();
        for r in records {
            let key = (r.subject.clone(), r.area.clone());
            let newer = latest
                .get(&key)
                .is_none_or(|old| period_key(&r.period) >= period_key(&old.period));
            if newer {
                latest.insert(key, r);
            }
        }
        let sectors = sector_trends(latest.values(), taxonomy);
        DemandTable { latest, sectors }
    }

    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    pub fn len(&self) -> usize {
        self.latest.len()
    }

    /// The latest figures for occupations in one area that say how they change, growing
    /// first (the same trend, by name).
    pub fn occupations_in(&self, area: &Area) -> Vec<&DemandRecord> {
        let mut found: Vec<&DemandRecord> = self
            .latest
            .values()
            .filter(|r| {
                r.area == *area
                    && r.trend_percent.is_some()
                    && matches!(r.subject, DemandSubject::Occupation(_))
            })
            .collect();
        found.sort_by(|a, b| {
            b.trend_percent
                .unwrap_or(0.0)
                .total_cmp(&a.trend_percent.unwrap_or(0.0))
                .then_with(|| a.subject.cmp(&b.subject))
        });
        found
    }

    /// The latest records, sorted by subject and area, for export and display.
    pub fn records(&self) -> Vec<&DemandRecord> {
        let mut all: Vec<&DemandRecord> = self.latest.values().collect();
        all.sort_by(|a, b| (&a.subject, &a.area).cmp(&(&b.subject, &b.area)));
        all
    }

    /// Demand for an occupation where a person lives: the region's figure, else the
    /// province's, else the national one; for the occupation, else its ISCO group.
    pub fn for_occupation(
        &self,
        taxonomy: &Taxonomy,
        occupation: OccupationId,
        region: Option<&str>,
        province: Option<&str>,
    ) -> Option<OccupationDemand> {
        let record = taxonomy.occupation(occupation)?;
        let mut areas = Vec::with_capacity(3);
        if let Some(r) = region {
            areas.push(Area::Region(r.to_owned()));
        }
        if let Some(p) = province {
            areas.push(Area::Province(p.to_owned()));
        }
        areas.push(Area::National);
        let mut subjects = vec![(DemandSubject::Occupation(record.uri.clone()), false)];
        let isco = &record.isco_code;
        for len in (1..=isco.len().min(4)).rev() {
            subjects.push((DemandSubject::Isco(isco[..len].to_owned()), true));
        }
        for area in &areas {
            for (subject, via_isco_group) in &subjects {
                if let Some(r) = self.latest.get(&(subject.clone(), area.clone())) {
                    return Some(OccupationDemand {
                        area: area.clone(),
                        period: r.period.clone(),
                        vacancies: r.vacancies,
                        job_seekers: r.job_seekers,
                        tension: r.tension(),
                        trend_percent: r.trend_percent,
                        via_isco_group: *via_isco_group,
                    });
                }
            }
        }
        None
    }

    /// The national trend of a sector (ISCO major group = first digit of the ISCO code).
    pub fn sector(&self, isco_code: &str) -> Option<&SectorTrend> {
        self.sectors.get(isco_code.get(..1)?)
    }

    pub fn sectors(&self) -> Vec<&SectorTrend> {
        let mut all: Vec<&SectorTrend> = self.sectors.values().collect();
        all.sort_by(|a, b| a.isco_major.cmp(&b.isco_major));
        all
    }
}

/// Vacancy-weighted national trend per ISCO major group, from occupation and ISCO rows.
fn sector_trends<'a>(
    records: impl Iterator<Item = &'a DemandRecord>,
    taxonomy: &Taxonomy,
) -> HashMap<String, SectorTrend> {
    // (weighted trend sum, weight, vacancies)
    let mut acc: HashMap<String, (f64, f64, u64)> = HashMap::new();
    for r in records {
        if r.area != Area::National {
            continue;
        }
        let Some(trend) = r.trend_percent else {
            continue;
        };
        let major = match &r.subject {
            DemandSubject::Isco(code) => code.get(..1),
            DemandSubject::Occupation(uri) => taxonomy
                .occupation_id(uri)
                .and_then(|id| taxonomy.occupation(id))
                .and_then(|o| o.isco_code.get(..1)),
        };
        let Some(major) = major else { continue };
        let weight = f64::from(r.vacancies.unwrap_or(1).max(1));
        let e = acc.entry(major.to_owned()).or_insert((0.0, 0.0, 0));
        e.0 += trend * weight;
        e.1 += weight;
        e.2 += u64::from(r.vacancies.unwrap_or(0));
    }
    acc.into_iter()
        .map(|(major, (sum, weight, vacancies))| {
            let trend_percent = if weight > 0.0 { sum / weight } else { 0.0 };
            (
                major.clone(),
                SectorTrend {
                    isco_major: major,
                    vacancies,
                    trend_percent,
                    direction: Direction::of(trend_percent),
                },
            )
        })
        .collect()
}

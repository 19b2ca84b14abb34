//! "Ik wil iets anders": suggestions that move a person from shrinking to growing work where
//! they live, given the skills they already have.
//!
//! The rule, in three parts:
//!
//! - **Growing** means the occupation's vacancies rise by more than
//!   [`GrowthRule::min_trend_percent`] a year in the person's labour-market region (else the
//!   province, else the whole country: the figure [`DemandTable::for_occupation`] finds first).
//! - **Her shrinking field** is the ISCO sub-major group (two digits, e.g. `52` sales workers)
//!   of each of her own occupations whose demand shrinks where she lives (trend below
//!   −2 %, [`Direction::Shrinking`]); where an occupation has no trend of its own, its ISCO
//!   major group's trend decides. Suggestions never come from such a field, nor are they one of
//!   her own occupations.
//! - **Overlap** is the share of the occupation's skills she already has, each skill weighted as
//!   in ranking (essential 1, optional ½, times its rarity): having the telling skills counts
//!   more than having "communicate with colleagues". At least
//!   [`GrowthRule::min_shared_skills`] skills must be shared. The score is that share, raised by
//!   growth: × (1 + min(trend, 20) / 40), so growth can lift a suggestion by at most half.

use super::demand::{DemandTable, Direction, OccupationDemand};
use super::rank::{MatchContext, MatchIndex, OPTIONAL_WEIGHT};
use crate::taxonomy::{OccupationId, Relevance, SkillId, Taxonomy};
use serde::Serialize;

/// Trend above which growth stops raising the score further.
const TREND_CAP: f64 = 20.0;

/// The thresholds of the rule; [`GrowthRule::default`] is what the platform uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthRule {
    /// Yearly change in vacancies, in percent, above which an occupation is growing.
    pub min_trend_percent: f64,
    /// Skills the person must share with an occupation for it to be suggested.
    pub min_shared_skills: usize,
}

impl Default for GrowthRule {
    fn default() -> Self {
        GrowthRule {
            min_trend_percent: 2.0,
            min_shared_skills: 3,
        }
    }
}

/// An occupation to move to, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthMove {
    pub occupation: OccupationId,
    /// The demand figure that shows the growth (its area says where).
    pub demand: OccupationDemand,
    pub trend_percent: f64,
    /// Skills of the occupation (essential and optional) the person has, and all of them.
    pub skills_had: usize,
    pub skills_total: usize,
    /// The weighted share of the occupation's skills the person has, in [0, 1].
    pub overlap: f64,
    pub score: f64,
}

/// The suggestions, best first, and the fields they lead away from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GrowthMoves {
    pub items: Vec<GrowthMove>,
    /// ISCO sub-major groups (two digits) of the person's shrinking work.
    pub shrinking_fields: Vec<String>,
}

/// The two-digit ISCO groups of the occupations in `own` whose demand shrinks in the area.
pub fn shrinking_fields(
    taxonomy: &Taxonomy,
    demand: &DemandTable,
    own: &[OccupationId],
    region: Option<&str>,
    province: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = own
        .iter()
        .filter_map(|o| {
            let record = taxonomy.occupation(*o)?;
            let trend = demand
                .for_occupation(taxonomy, *o, region, province)
                .and_then(|d| d.trend_percent);
            let direction = match trend {
                Some(t) => Direction::of(t),
                None => demand.sector(&record.isco_code)?.direction,
            };
            (direction == Direction::Shrinking)
                .then(|| record.isco_code.get(..2).map(str::to_owned))?
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn weight(index: &MatchIndex, skill: SkillId, relevance: Relevance) -> f64 {
    let r = match relevance {
        Relevance::Essential => 1.0,
        Relevance::Optional => f64::from(OPTIONAL_WEIGHT),
    };
    r * f64::from(index.idf(skill))
}

/// Occupations growing where the person lives that share many of their skills, outside their
/// shrinking field, best first, at most `top`. `profile` holds skill ids sorted by id, each
/// once (weights are not used: a skill is had or not); `ctx.exclude` names the person's own
/// occupations.
pub fn growth_moves(
    index: &MatchIndex,
    taxonomy: &Taxonomy,
    profile: &[(SkillId, f32)],
    demand: &DemandTable,
    ctx: &MatchContext<'_>,
    rule: GrowthRule,
    top: usize,
) -> GrowthMoves {
    let fields = shrinking_fields(taxonomy, demand, &ctx.exclude, ctx.region, ctx.province);
    let has = |s: SkillId| profile.binary_search_by_key(&s, |(id, _)| *id).is_ok();
    // Every occupation sharing a skill, once.
    let mut shared = vec![0usize; taxonomy.occupations().len()];
    for (skill, _) in profile {
        for (occupation, _) in taxonomy.occupations_with(*skill) {
            if let Some(n) = shared.get_mut(*occupation as usize) {
                *n += 1;
            }
        }
    }
    let mut items: Vec<GrowthMove> = shared
        .iter()
        .enumerate()
        .filter(|(_, n)| **n >= rule.min_shared_skills.max(1))
        .map(|(o, _)| o as OccupationId)
        .filter(|o| !ctx.exclude.contains(o))
        .filter_map(|o| {
            let record = taxonomy.occupation(o)?;
            let field = record.isco_code.get(..2).unwrap_or("");
            if fields.iter().any(|f| f == field) {
                return None;
            }
            let d = demand.for_occupation(taxonomy, o, ctx.region, ctx.province)?;
            let trend = d.trend_percent.filter(|t| t.is_finite())?;
            if trend <= rule.min_trend_percent {
                return None;
            }
            let skills = taxonomy.skills_of(o);
            let (mut had_w, mut total_w, mut had) = (0.0, 0.0, 0usize);
            for (skill, relevance) in skills {
                let w = weight(index, *skill, *relevance);
                total_w += w;
                if has(*skill) {
                    had_w += w;
                    had += 1;
                }
            }
            let overlap = if total_w > 0.0 {
                (had_w / total_w).clamp(0.0, 1.0)
            } else {
                0.0
            };
            Some(GrowthMove {
                occupation: o,
                demand: d,
                trend_percent: trend,
                skills_had: had,
                skills_total: skills.len(),
                overlap,
                score: overlap * (1.0 + trend.min(TREND_CAP) / (2.0 * TREND_CAP)),
            })
        })
        .collect();
    items.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.occupation.cmp(&b.occupation))
    });
    items.truncate(top);
    GrowthMoves {
        items,
        shrinking_fields: fields,
    }
}

#[cfg(test)]
mod tests;

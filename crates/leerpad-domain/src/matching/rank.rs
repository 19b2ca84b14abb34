//! "Where are my chances": occupations ranked by how well a person's skills cover what they ask
//! for, weighed by demand in the person's region.
//!
//! Each occupation is a weighted vector over skills: essential skills weigh 1, optional ones
//! 0.5, times the skill's rarity (the inverse document frequency over occupations: a skill that
//! few occupations share says more about a match than "communicate with colleagues"). A profile
//! is a vector the same way. The skill score is the cosine of the two, so an occupation ranks
//! high when the person has most of what it asks and little that it does not. Demand then moves
//! occupations up or down by at most a quarter.

use super::demand::{DemandTable, Direction, OccupationDemand};
use crate::taxonomy::{OccupationId, Relevance, SkillId, Taxonomy};
use serde::Serialize;

/// Weight of an optional skill relative to an essential one.
pub const OPTIONAL_WEIGHT: f32 = 0.5;
/// How much demand can change a score: × (1 − DEMAND_WEIGHT/2 … 1 + DEMAND_WEIGHT/2).
pub const DEMAND_WEIGHT: f64 = 0.5;

/// Precomputed weights for matching; built once per taxonomy.
#[derive(Debug, Clone)]
pub struct MatchIndex {
    /// Inverse document frequency of each skill over occupations.
    idf: Vec<f32>,
    /// Length of each occupation's weighted skill vector.
    norm: Vec<f32>,
}

/// An occupation a person could move to, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccupationMatch {
    pub occupation: OccupationId,
    /// Final score: skill score weighed by demand.
    pub score: f64,
    /// Cosine of the person's and the occupation's skills, in [0, 1].
    pub skill_score: f64,
    pub essential_total: usize,
    pub essential_had: usize,
    pub optional_total: usize,
    pub optional_had: usize,
    /// Missing essential skills, rarest (most telling) first.
    pub missing_essential: Vec<SkillId>,
    pub demand: Option<OccupationDemand>,
    /// A move out of a shrinking sector into a growing one.
    pub growth_move: bool,
}

/// Where a person stands, for ranking.
#[derive(Debug, Clone, Default)]
pub struct MatchContext<'a> {
    pub region: Option<&'a str>,
    pub province: Option<&'a str>,
    /// ISCO codes of the person's current and past occupations (their sector).
    pub own_isco: Vec<&'a str>,
    /// Leave out occupations the person already has.
    pub exclude: Vec<OccupationId>,
}

impl MatchIndex {
    pub fn new(taxonomy: &Taxonomy) -> MatchIndex {
        let n_occupations = taxonomy.occupations().len().max(1) as f32;
        let idf: Vec<f32> = (0..taxonomy.skills().len())
            .map(|s| {
                let df = taxonomy.occupations_with(s as SkillId).len() as f32;
                (1.0 + n_occupations / (1.0 + df)).ln()
            })
            .collect();
        let norm = (0..taxonomy.occupations().len())
            .map(|o| {
                taxonomy
                    .skills_of(o as OccupationId)
                    .iter()
                    .map(|(s, r)| {
                        let w = relevance_weight(*r) * idf.get(*s as usize).copied().unwrap_or(0.0);
                        w * w
                    })
                    .sum::<f32>()
                    .sqrt()
            })
            .collect();
        MatchIndex { idf, norm }
    }

    pub fn idf(&self, skill: SkillId) -> f32 {
        self.idf.get(skill as usize).copied().unwrap_or(0.0)
    }

    /// Skill scores of every occupation sharing a skill with the profile, unsorted.
    pub fn skill_scores(
        &self,
        taxonomy: &Taxonomy,
        profile: &[(SkillId, f32)],
    ) -> Vec<(OccupationId, f64)> {
        let profile_norm = profile
            .iter()
            .map(|(s, w)| {
                let v = w * self.idf(*s);
                v * v
            })
            .sum::<f32>()
            .sqrt();
        if profile_norm == 0.0 {
            return Vec::new();
        }
        let mut dot = vec![0f32; self.norm.len()];
        for (skill, weight) in profile {
            let p = weight * self.idf(*skill);
            let idf = self.idf(*skill);
            for (occupation, relevance) in taxonomy.occupations_with(*skill) {
                if let Some(d) = dot.get_mut(*occupation as usize) {
                    *d += p * relevance_weight(*relevance) * idf;
                }
            }
        }
        dot.iter()
            .enumerate()
            .filter(|(_, d)| **d > 0.0)
            .filter_map(|(o, d)| {
                let norm = self.norm.get(o).copied().unwrap_or(0.0);
                (norm > 0.0).then(|| (o as OccupationId, f64::from(d / (norm * profile_norm))))
            })
            .collect()
    }

    /// The `top` occupations for a profile (skills as ids with weights, sorted by id, each
    /// once), best first, with demand when a table is given.
    pub fn rank(
        &self,
        taxonomy: &Taxonomy,
        profile: &[(SkillId, f32)],
        demand: Option<&DemandTable>,
        ctx: &MatchContext<'_>,
        top: usize,
    ) -> Vec<OccupationMatch> {
        let mut scored = self.skill_scores(taxonomy, profile);
        scored.retain(|(o, _)| !ctx.exclude.contains(o));
        // Demand changes a score by at most a factor 1 ± DEMAND_WEIGHT/2, so only occupations
        // whose skill score could still reach the top need demand looked up.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let shrinking_home = demand.is_some_and(|d| {
            !ctx.own_isco.is_empty()
                && ctx.own_isco.iter().all(|c| {
                    d.sector(c)
                        .is_some_and(|s| s.direction == Direction::Shrinking)
                })
        });
        let mut out: Vec<OccupationMatch> = Vec::new();
        let best_factor = if demand.is_some() {
            1.0 + DEMAND_WEIGHT / 2.0
        } else {
            1.0
        };
        for (occupation, skill_score) in scored {
            // `out` holds the best `top` so far, sorted: stop when no later one can enter.
            if out.len() >= top
                && out
                    .last()
                    .is_some_and(|worst| skill_score * best_factor < worst.score)
            {
                break;
            }
            let occupation_demand = demand
                .and_then(|d| d.for_occupation(taxonomy, occupation, ctx.region, ctx.province));
            let factor = occupation_demand
                .as_ref()
                .map_or(1.0, |d| 1.0 + DEMAND_WEIGHT * (d.strength() - 0.5));
            let growth_move = shrinking_home
                && demand.is_some_and(|d| {
                    taxonomy
                        .occupation(occupation)
                        .and_then(|o| d.sector(&o.isco_code))
                        .is_some_and(|s| s.direction == Direction::Growing)
                });
            out.push(self.explain(
                taxonomy,
                profile,
                occupation,
                skill_score * factor,
                skill_score,
                occupation_demand,
                growth_move,
            ));
            out.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(a.occupation.cmp(&b.occupation))
            });
            out.truncate(top);
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.occupation.cmp(&b.occupation))
        });
        out.truncate(top);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn explain(
        &self,
        taxonomy: &Taxonomy,
        profile: &[(SkillId, f32)],
        occupation: OccupationId,
        score: f64,
        skill_score: f64,
        demand: Option<OccupationDemand>,
        growth_move: bool,
    ) -> OccupationMatch {
        let has = |s: SkillId| profile.binary_search_by_key(&s, |(id, _)| *id).is_ok();
        let mut m = OccupationMatch {
            occupation,
            score,
            skill_score,
            essential_total: 0,
            essential_had: 0,
            optional_total: 0,
            optional_had: 0,
            missing_essential: Vec::new(),
            demand,
            growth_move,
        };
        for (skill, relevance) in taxonomy.skills_of(occupation) {
            let had = has(*skill);
            match relevance {
                Relevance::Essential => {
                    m.essential_total += 1;
                    if had {
                        m.essential_had += 1;
                    } else {
                        m.missing_essential.push(*skill);
                    }
                }
                Relevance::Optional => {
                    m.optional_total += 1;
                    m.optional_had += usize::from(had);
                }
            }
        }
        m.missing_essential
            .sort_by(|a, b| self.idf(*b).total_cmp(&self.idf(*a)).then(a.cmp(b)));
        m
    }
}

fn relevance_weight(r: Relevance) -> f32 {
    match r {
        Relevance::Essential => 1.0,
        Relevance::Optional => OPTIONAL_WEIGHT,
    }
}

//! The training plan: a few offers that together teach most of a skill gap, chosen by a
//! weighted greedy set cover. Each step takes the offer with the best value: the weight of the
//! missing skills it would newly teach, times how well it fits the person (level, study load
//! against available hours, start date, within budget), divided by what it costs them (net
//! price after financing, and time). Greedy set cover is within a factor ln(n) of the best
//! cover and explains itself step by step, which matters more here than the last percent.

use crate::catalogue::{Level, Modality};
use crate::financing::EducationLevel;
use crate::shared::{Date, Money, OfferId};
use crate::taxonomy::SkillId;
use serde::Serialize;

/// Weight of a missing optional skill relative to a missing essential one.
pub const OPTIONAL_GAP_WEIGHT: f64 = 0.4;
/// A plan stops at this many offers.
pub const MAX_PLAN_ITEMS: usize = 5;
/// A plan stops when this share of the gap's weight is covered.
pub const ENOUGH_COVERAGE: f64 = 0.9;
/// Hours a week assumed when the person has not said.
pub const DEFAULT_HOURS_PER_WEEK: u32 = 8;

/// An offer that could be part of a plan, with what the plan needs to know of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCandidate {
    pub offer_id: OfferId,
    /// Skills the offer teaches.
    pub skills: Vec<SkillId>,
    pub level: Option<Level>,
    pub modality: Modality,
    pub study_load_hours: Option<u32>,
    /// The next open run's start; `None` when it starts any time or has no date.
    pub next_start: Option<Date>,
    pub gross_cents: Money,
    /// What the person pays after the financing that applies.
    pub net_cents: Money,
}

/// What the plan is for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNeeds {
    /// Missing essential skills.
    pub essential: Vec<SkillId>,
    /// Missing optional skills.
    pub optional: Vec<SkillId>,
    pub education: Option<EducationLevel>,
    pub hours_per_week: Option<u8>,
    pub budget_cents: Option<Money>,
    pub today: Date,
}

/// How an offer's level compares with the person's education.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelFit {
    Fits,
    /// More than two steps above the person's education.
    Demanding,
    /// Below the person's education.
    Below,
    Unknown,
}

/// How well an offer fits the person, each part a reason shown to them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferFit {
    pub level: LevelFit,
    /// Weeks it takes at the person's hours a week.
    pub weeks: Option<u32>,
    /// Days until it starts (none: any time).
    pub starts_in_days: Option<i64>,
    pub over_budget: bool,
    /// The product of the parts, in (0, 1].
    pub factor: f64,
}

/// One offer in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    pub offer_id: OfferId,
    /// Missing essential skills this offer teaches that earlier items do not.
    pub covers_essential: Vec<SkillId>,
    pub covers_optional: Vec<SkillId>,
    pub gross_cents: Money,
    pub net_cents: Money,
    pub fit: OfferFit,
    /// Other offers that teach most of the same skills, best first.
    pub alternatives: Vec<OfferId>,
}

/// The chosen offers and how much of the gap they close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingPlan {
    pub items: Vec<PlanItem>,
    pub essential_total: usize,
    pub essential_covered: usize,
    pub optional_total: usize,
    pub optional_covered: usize,
    /// Share of the gap's weight the plan covers, in [0, 1].
    pub coverage: f64,
    pub net_total_cents: Money,
    pub gross_total_cents: Money,
    /// Essential skills no candidate teaches (or none that fit).
    pub uncovered_essential: Vec<SkillId>,
}

fn level_fit(education: Option<EducationLevel>, level: Option<Level>) -> LevelFit {
    let (Some(e), Some(l)) = (education, level) else {
        return LevelFit::Unknown;
    };
    let diff = i16::from(l.typical_nlqf()) - i16::from(e.rank());
    if diff > 2 {
        LevelFit::Demanding
    } else if diff < -1 {
        LevelFit::Below
    } else {
        LevelFit::Fits
    }
}

/// How well `c` fits, given what the plan has spent already.
pub fn fit_of(c: &PlanCandidate, needs: &PlanNeeds, spent_cents: Money) -> OfferFit {
    let level = level_fit(needs.education, c.level);
    let hours = needs
        .hours_per_week
        .map_or(DEFAULT_HOURS_PER_WEEK, u32::from)
        .max(1);
    let weeks = c.study_load_hours.map(|h| h.div_ceil(hours));
    let starts_in_days = c
        .next_start
        .map(|d| (d.to_julian_day() - needs.today.to_julian_day()).into());
    let over_budget = needs
        .budget_cents
        .is_some_and(|b| spent_cents + c.net_cents > b);
    let mut factor = match level {
        LevelFit::Fits | LevelFit::Unknown => 1.0,
        LevelFit::Below => 0.85,
        LevelFit::Demanding => 0.6,
    };
    factor *= match weeks {
        Some(w) if w > 52 => 0.7,
        Some(w) if w > 26 => 0.85,
        _ => 1.0,
    };
    factor *= match starts_in_days {
        Some(d) if d > 180 => 0.8,
        Some(d) if d > 90 => 0.9,
        Some(_) => 1.0,
        None if c.modality == Modality::Online => 1.0,
        None => 0.9,
    };
    if over_budget {
        factor *= 0.3;
    }
    OfferFit {
        level,
        weeks,
        starts_in_days,
        over_budget,
        factor,
    }
}

/// What an offer costs the person in money and time, as one number ≥ 1 (€500 or 80 hours
/// of study count as much as the offer's being there at all).
fn cost_of(c: &PlanCandidate) -> f64 {
    1.0 + c.net_cents.cents().max(0) as f64 / 50_000.0
        + f64::from(c.study_load_hours.unwrap_or(20)) / 80.0
}

/// Choose a plan from `candidates` for `needs`.
pub fn plan(needs: &PlanNeeds, candidates: &[PlanCandidate]) -> TrainingPlan {
    let weight_of = |s: SkillId| -> f64 {
        if needs.essential.contains(&s) {
            1.0
        } else if needs.optional.contains(&s) {
            OPTIONAL_GAP_WEIGHT
        } else {
            0.0
        }
    };
    let total_weight =
        needs.essential.len() as f64 + needs.optional.len() as f64 * OPTIONAL_GAP_WEIGHT;
    let mut covered: Vec<SkillId> = Vec::new();
    let mut used = vec![false; candidates.len()];
    let mut items: Vec<PlanItem> = Vec::new();
    let mut spent = Money::ZERO;
    let mut gross = Money::ZERO;
    let mut covered_weight = 0.0;
    while items.len() < MAX_PLAN_ITEMS && total_weight > 0.0 {
        if covered_weight / total_weight >= ENOUGH_COVERAGE {
            break;
        }
        let mut best: Option<(usize, f64, OfferFit)> = None;
        for (i, c) in candidates.iter().enumerate() {
            if used[i] {
                continue;
            }
            let gain: f64 = new_skills(c, &covered).map(weight_of).sum();
            if gain <= 0.0 {
                continue;
            }
            let fit = fit_of(c, needs, spent);
            let value = gain * fit.factor / cost_of(c).sqrt();
            let better = best.as_ref().is_none_or(|(bi, bv, _)| {
                value > *bv || (value == *bv && c.offer_id < candidates[*bi].offer_id)
            });
            if better {
                best = Some((i, value, fit));
            }
        }
        let Some((i, _, fit)) = best else { break };
        used[i] = true;
        let c = &candidates[i];
        let newly: Vec<SkillId> = new_skills(c, &covered).collect();
        let (covers_essential, covers_optional): (Vec<SkillId>, Vec<SkillId>) = newly
            .iter()
            .copied()
            .filter(|s| weight_of(*s) > 0.0)
            .partition(|s| needs.essential.contains(s));
        covered_weight += newly.iter().map(|s| weight_of(*s)).sum::<f64>();
        covered.extend(newly);
        covered.sort_unstable();
        covered.dedup();
        spent += c.net_cents;
        gross += c.gross_cents;
        items.push(PlanItem {
            offer_id: c.offer_id,
            covers_essential,
            covers_optional,
            gross_cents: c.gross_cents,
            net_cents: c.net_cents,
            fit,
            alternatives: Vec::new(),
        });
    }
    // Alternatives: unused offers teaching at least half of what the item adds, best value first.
    // An offer appears once in a plan: as an item, or as the alternative of one item.
    let mut shown: Vec<OfferId> = items.iter().map(|i| i.offer_id).collect();
    for item in &mut items {
        let target: Vec<SkillId> = item
            .covers_essential
            .iter()
            .chain(&item.covers_optional)
            .copied()
            .collect();
        if target.is_empty() {
            continue;
        }
        let mut alts: Vec<(f64, OfferId)> = candidates
            .iter()
            .zip(&used)
            .filter(|(c, u)| !**u && !shown.contains(&c.offer_id))
            .filter_map(|(c, _)| {
                let shared: f64 = target
                    .iter()
                    .filter(|s| c.skills.contains(s))
                    .map(|s| weight_of(*s))
                    .sum();
                let all: f64 = target.iter().map(|s| weight_of(*s)).sum();
                (shared * 2.0 >= all).then(|| {
                    let fit = fit_of(c, needs, spent - item.net_cents);
                    (shared * fit.factor / cost_of(c).sqrt(), c.offer_id)
                })
            })
            .collect();
        alts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        item.alternatives = alts.into_iter().take(2).map(|(_, id)| id).collect();
        shown.extend(&item.alternatives);
    }
    let essential_covered = needs
        .essential
        .iter()
        .filter(|s| covered.binary_search(s).is_ok())
        .count();
    let optional_covered = needs
        .optional
        .iter()
        .filter(|s| covered.binary_search(s).is_ok())
        .count();
    TrainingPlan {
        essential_total: needs.essential.len(),
        essential_covered,
        optional_total: needs.optional.len(),
        optional_covered,
        coverage: if total_weight > 0.0 {
            covered_weight / total_weight
        } else {
            1.0
        },
        net_total_cents: spent,
        gross_total_cents: gross,
        uncovered_essential: needs
            .essential
            .iter()
            .copied()
            .filter(|s| covered.binary_search(s).is_err())
            .collect(),
        items,
    }
}

/// Skills `c` teaches that are not covered yet (each once).
fn new_skills<'a>(
    c: &'a PlanCandidate,
    covered: &'a [SkillId],
) -> impl Iterator<Item = SkillId> + 'a {
    c.skills
        .iter()
        .enumerate()
        .filter(|(i, s)| covered.binary_search(s).is_err() && !c.skills[..*i].contains(s))
        .map(|(_, s)| *s)
}

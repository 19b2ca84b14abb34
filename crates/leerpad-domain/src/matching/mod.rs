//! Matching on skills: where a person's skills are asked for, what they lack for an occupation,
//! and which training closes that gap at what cost.
//!
//! - [`demand`]: labour-market demand per occupation and area, sector trends.
//! - [`profile`]: the learner's skills profile, each skill with its origin.
//! - [`rank`]: occupations ranked by weighted skill overlap and regional demand.
//! - [`growth`]: moves from shrinking to growing work in the person's region ("Ik wil iets
//!   anders").
//! - [`gap`]: the skill gap for one occupation, grouped by the ESCO hierarchy.
//! - [`plan`]: a training plan as a weighted greedy set cover over offers.

pub mod demand;
pub mod gap;
pub mod growth;
pub mod plan;
pub mod ports;
pub mod profile;
pub mod rank;

pub use demand::{
    Area, DemandRecord, DemandSubject, DemandTable, Direction, OccupationDemand, SectorTrend,
};
pub use gap::{GapGroup, SkillGap, gap_groups, skill_gap};
pub use growth::{GrowthMove, GrowthMoves, GrowthRule, growth_moves, shrinking_fields};
pub use plan::{LevelFit, OfferFit, PlanCandidate, PlanItem, PlanNeeds, TrainingPlan, plan};
pub use profile::{LearnerProfile, ProfileOccupation, ProfileSkill, SkillOrigin, TravelRange};
pub use rank::{MatchContext, MatchIndex, OccupationMatch};

#[cfg(test)]
mod tests;

//! Matching use cases: a learner's skills profile, the occupations within reach, moves from
//! shrinking to growing work, the skill gap for one of them and the training plan that closes
//! it, priced after financing.

use crate::catalogue::today;
use crate::error::{AppError, AppResult};
use crate::financing::Financing;
use crate::taxonomy::TaxonomyService;
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::catalogue::search::{OfferIndex, OfferQuery};
use leerpad_domain::catalogue::{Accreditation, Modality, Offer, OfferStatus};
use leerpad_domain::clock::Clock;
use leerpad_domain::financing::{AppliedScheme, EducationLevel, OfferFacts, PersonFacts};
use leerpad_domain::matching::gap::{gap_groups, skill_gap};
use leerpad_domain::matching::plan::{OPTIONAL_GAP_WEIGHT, PlanCandidate, PlanNeeds, plan};
use leerpad_domain::matching::ports::{MatchingStore, StoredProfile};
use leerpad_domain::matching::{
    DemandRecord, DemandTable, GrowthMoves, GrowthRule, LearnerProfile, MatchContext, MatchIndex,
    OccupationMatch, ProfileOccupation, ProfileSkill, SkillGap, TrainingPlan, TravelRange,
    growth_moves,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::shared::{FieldError, Localized, Money, OfferId};
use leerpad_domain::taxonomy::extract::ExtractedSkill;
use leerpad_domain::taxonomy::titles::TitleMatch;
use leerpad_domain::taxonomy::{OccupationId, SkillId, key_of};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// Occupations shown in "where are my chances".
pub const DEFAULT_MATCHES: usize = 20;
/// Most missing skills a plan looks for (essential first, rarest first).
const PLAN_SKILLS: usize = 60;
/// Candidates read from the index per query.
const PLAN_CANDIDATES: usize = 100;

/// The weights and hierarchy groups matching needs, computed once per taxonomy.
struct Prepared {
    index: MatchIndex,
    groups: Vec<Option<u32>>,
}

/// A demand import that did not pass: every problem with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineProblem {
    pub line: u64,
    pub error: FieldError,
}

/// Suggestions for a profile, for the person to review before anything is saved.
#[derive(Debug, Clone)]
pub struct Suggestions {
    pub skills: Vec<ExtractedSkill>,
    /// Per job title entered, the ESCO occupations it may mean, best first.
    pub occupations: Vec<(String, Vec<TitleMatch>)>,
}

/// The ranked occupations, or why there are none.
#[derive(Debug, Clone)]
pub struct Matches {
    pub items: Vec<OccupationMatch>,
    /// The profile has no skills (yet): nothing to match.
    pub empty_profile: bool,
    pub region: Option<String>,
}

/// A plan with the offers it names and the financing of each.
#[derive(Debug, Clone)]
pub struct PlanOutcome {
    pub gap: SkillGap,
    pub plan: TrainingPlan,
    /// Offers of the plan and of its alternatives, by id.
    pub offers: HashMap<OfferId, Offer>,
    /// Schemes that pay part of each plan offer, in stacking order.
    pub financing: HashMap<OfferId, Vec<AppliedScheme>>,
    /// Names of the schemes in `financing`, by slug.
    pub scheme_names: HashMap<String, Localized>,
    /// How many candidate offers the plan was chosen from.
    pub candidates: usize,
}

/// One change a person makes to their profile; see [`Matching::edit_profile`].
#[derive(Debug, Clone)]
pub enum ProfileEdit {
    AddOccupation(ProfileOccupation),
    /// Remove a job and the skills only it brought (`NotFound` when it is not there).
    RemoveOccupation {
        uri: String,
    },
    AddSkills(Vec<ProfileSkill>),
    RemoveSkill {
        uri: String,
    },
    Situation(Situation),
}

/// The person's situation as the profile keeps it (already parsed and checked by the form).
#[derive(Debug, Clone, Default)]
pub struct Situation {
    pub education: Option<EducationLevel>,
    pub travel: Option<TravelRange>,
    pub municipality: Option<String>,
    pub hours_per_week: Option<u8>,
    pub budget_cents: Option<Money>,
}

pub struct Matching {
    profiles: Arc<dyn MatchingStore>,
    offers: Arc<dyn CatalogueStore>,
    taxonomy: Arc<TaxonomyService>,
    regions: Arc<Regions>,
    index: Arc<dyn OfferIndex>,
    financing: Arc<Financing>,
    clock: Arc<dyn Clock>,
    prepared: OnceLock<Prepared>,
    demand: RwLock<Arc<DemandTable>>,
}

impl std::fmt::Debug for Matching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Matching")
    }
}

fn read_lock<T: Clone>(lock: &RwLock<T>) -> T {
    match lock.read() {
        Ok(g) => g.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

mod demand;
mod plan;
mod profile;
mod ranking;

impl Matching {
    pub fn new(
        profiles: Arc<dyn MatchingStore>,
        offers: Arc<dyn CatalogueStore>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        index: Arc<dyn OfferIndex>,
        financing: Arc<Financing>,
        clock: Arc<dyn Clock>,
    ) -> Matching {
        Matching {
            profiles,
            offers,
            taxonomy,
            regions,
            index,
            financing,
            clock,
            prepared: OnceLock::new(),
            demand: RwLock::new(Arc::new(DemandTable::default())),
        }
    }

    fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| {
            let t = &self.taxonomy.taxonomy;
            Prepared {
                index: MatchIndex::new(t),
                groups: gap_groups(t),
            }
        })
    }

    /// Compute the matching weights now rather than on the first request.
    pub fn warm(&self) {
        self.prepared();
    }

    /// The ESCO skill group a skill belongs to (the nearest group up its hierarchy): how a skill
    /// without a Dutch label is named on a Dutch page.
    pub fn skill_group(&self, skill: SkillId) -> Option<u32> {
        self.prepared()
            .groups
            .get(skill as usize)
            .copied()
            .flatten()
    }

    pub fn taxonomy(&self) -> &TaxonomyService {
        &self.taxonomy
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    pub fn demand(&self) -> Arc<DemandTable> {
        read_lock(&self.demand)
    }
}

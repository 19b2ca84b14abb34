//! Matching use cases: a learner's skills profile, the occupations within reach, the skill gap
//! for one of them and the training plan that closes it, priced after financing.

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
    DemandRecord, DemandTable, LearnerProfile, MatchContext, MatchIndex, OccupationMatch,
    ProfileOccupation, ProfileSkill, SkillGap, TrainingPlan, TravelRange,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::shared::{FieldError, Localized};
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
    pub offers: HashMap<i64, Offer>,
    /// Schemes that pay part of each plan offer, in stacking order.
    pub financing: HashMap<i64, Vec<AppliedScheme>>,
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
    pub budget_cents: Option<i64>,
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

    pub fn taxonomy(&self) -> &TaxonomyService {
        &self.taxonomy
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    pub fn demand(&self) -> Arc<DemandTable> {
        read_lock(&self.demand)
    }

    /// Read the demand figures from storage (at start and after an import).
    pub async fn reload_demand(&self) -> AppResult<usize> {
        let records = self.profiles.demand().await?;
        let taxonomy = self.taxonomy.taxonomy.clone();
        let table = tokio::task::spawn_blocking(move || DemandTable::new(records, &taxonomy))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let n = table.len();
        match self.demand.write() {
            Ok(mut g) => *g = Arc::new(table),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(table),
        }
        Ok(n)
    }

    /// Check every row; store them all in one transaction only when every row is valid.
    pub fn check_demand(
        &self,
        rows: &[(u64, Result<DemandRecord, Vec<FieldError>>)],
    ) -> Vec<LineProblem> {
        let t = &self.taxonomy.taxonomy;
        let mut problems = Vec::new();
        for (line, row) in rows {
            let errors = match row {
                Ok(r) => leerpad_domain::matching::demand::validate_record(r, t, &self.regions),
                Err(e) => e.clone(),
            };
            problems.extend(
                errors
                    .into_iter()
                    .map(|error| LineProblem { line: *line, error }),
            );
        }
        problems
    }

    /// Import demand figures: all or nothing.
    pub async fn import_demand(
        &self,
        rows: Vec<(u64, Result<DemandRecord, Vec<FieldError>>)>,
    ) -> Result<u64, Vec<LineProblem>> {
        let problems = self.check_demand(&rows);
        if !problems.is_empty() {
            return Err(problems);
        }
        let records: Vec<DemandRecord> = rows.into_iter().filter_map(|(_, r)| r.ok()).collect();
        let internal = |e: AppError| {
            vec![LineProblem {
                line: 0,
                error: FieldError {
                    field: "file".into(),
                    message: e.to_string(),
                },
            }]
        };
        let written = self
            .profiles
            .save_demand(&records, self.clock.now())
            .await
            .map_err(|e| internal(e.into()))?;
        self.reload_demand().await.map_err(internal)?;
        Ok(written)
    }

    /// The person's profile (empty when none saved yet).
    pub async fn profile(&self, principal: &Principal) -> AppResult<LearnerProfile> {
        Ok(self.stored_profile(principal).await?.profile)
    }

    async fn stored_profile(&self, principal: &Principal) -> AppResult<StoredProfile> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self
            .profiles
            .profile(principal.user_id)
            .await?
            .unwrap_or_default())
    }

    /// Check a profile: every problem with its field.
    pub fn validate_profile(&self, profile: &LearnerProfile) -> AppResult<()> {
        let errors = profile.validate(&self.taxonomy.taxonomy, &self.regions);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::InvalidFields(errors))
        }
    }

    /// Replace the person's profile as a whole (the API's PUT). URIs are stored in full, each
    /// skill once.
    pub async fn save_profile(
        &self,
        principal: &Principal,
        profile: LearnerProfile,
    ) -> AppResult<LearnerProfile> {
        let stored = self.stored_profile(principal).await?;
        self.store_profile(principal, profile, stored.version).await
    }

    /// Apply one change to the stored profile and save it in one use case: read, change,
    /// check, save at the version read. When someone else saved in between, the answer is a
    /// conflict (409) instead of a lost update.
    pub async fn edit_profile(
        &self,
        principal: &Principal,
        edit: ProfileEdit,
    ) -> AppResult<LearnerProfile> {
        let StoredProfile {
            mut profile,
            version,
        } = self.stored_profile(principal).await?;
        let t = &self.taxonomy.taxonomy;
        match edit {
            ProfileEdit::AddOccupation(occupation) => profile.add_occupation(t, occupation),
            ProfileEdit::RemoveOccupation { uri } => {
                if !profile.occupations.iter().any(|o| o.uri == uri) {
                    return Err(AppError::NotFound("occupation in your profile"));
                }
                profile.remove_occupation(t, &uri);
            }
            ProfileEdit::AddSkills(skills) => {
                for skill in skills {
                    profile.add_skill(skill);
                }
            }
            ProfileEdit::RemoveSkill { uri } => profile.skills.retain(|s| s.uri != uri),
            ProfileEdit::Situation(situation) => {
                profile.education = situation.education;
                profile.travel = situation.travel;
                profile.municipality = situation.municipality;
                profile.hours_per_week = situation.hours_per_week;
                profile.budget_cents = situation.budget_cents;
            }
        }
        self.store_profile(principal, profile, version).await
    }

    /// Normalise (full URIs, each skill once, municipality as its CBS code), check and save
    /// at `expected_version`.
    async fn store_profile(
        &self,
        principal: &Principal,
        mut profile: LearnerProfile,
        expected_version: i64,
    ) -> AppResult<LearnerProfile> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.validate_profile(&profile)?;
        let t = &self.taxonomy.taxonomy;
        for s in &mut profile.skills {
            if let Some(rec) = t.skill_id(&s.uri).and_then(|id| t.skill(id)) {
                s.uri = rec.uri.clone();
            }
            if let Some(o) = &mut s.occupation
                && let Some(rec) = t.occupation_id(o).and_then(|id| t.occupation(id))
            {
                *o = rec.uri.clone();
            }
        }
        for o in &mut profile.occupations {
            if let Some(rec) = t.occupation_id(&o.uri).and_then(|id| t.occupation(id)) {
                o.uri = rec.uri.clone();
            }
        }
        let skills = std::mem::take(&mut profile.skills);
        for s in skills {
            profile.add_skill(s);
        }
        if let Some(m) = &profile.municipality
            && let Some(found) = self.regions.municipality(m)
        {
            profile.municipality = Some(found.code.clone());
        }
        self.profiles
            .save_profile(
                principal.user_id,
                &profile,
                expected_version,
                self.clock.now(),
            )
            .await?;
        Ok(profile)
    }

    /// Skills found in CV text and occupations for job titles, to review; nothing is saved.
    pub fn suggest(&self, cv_text: &str, titles: &[String], lang: &str) -> Suggestions {
        let skills = if cv_text.trim().is_empty() {
            Vec::new()
        } else {
            self.taxonomy.extract_skills(cv_text, lang, 30)
        };
        let occupations = titles
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .take(10)
            .map(|t| (t.to_owned(), self.taxonomy.match_title(t, lang, 5)))
            .collect();
        Suggestions {
            skills,
            occupations,
        }
    }

    fn home(&self, profile: &LearnerProfile) -> Option<&Municipality> {
        profile
            .municipality
            .as_deref()
            .and_then(|m| self.regions.municipality(m))
    }

    /// Occupations ranked for a profile, with demand in the person's region.
    pub fn matches(&self, profile: &LearnerProfile, top: usize) -> Matches {
        let t = &self.taxonomy.taxonomy;
        let skills = profile.weighted_skills(t);
        let home = self.home(profile);
        if skills.is_empty() {
            return Matches {
                items: Vec::new(),
                empty_profile: true,
                region: home.map(|m| m.region.clone()),
            };
        }
        let demand = self.demand();
        let own: Vec<OccupationId> = profile
            .occupations
            .iter()
            .filter_map(|o| t.occupation_id(&o.uri))
            .collect();
        let ctx = MatchContext {
            region: home.map(|m| m.region.as_str()),
            province: home.map(|m| m.province.as_str()),
            own_isco: own
                .iter()
                .filter_map(|o| t.occupation(*o))
                .map(|o| o.isco_code.as_str())
                .collect(),
            exclude: own.clone(),
        };
        let demand = (!demand.is_empty()).then_some(demand.as_ref());
        Matches {
            items: self
                .prepared()
                .index
                .rank(t, &skills, demand, &ctx, top.clamp(1, 100)),
            empty_profile: false,
            region: home.map(|m| m.region.clone()),
        }
    }

    /// An occupation by key or URI.
    pub fn occupation(&self, key: &str) -> AppResult<OccupationId> {
        self.taxonomy
            .taxonomy
            .occupation_id(key)
            .ok_or(AppError::NotFound("occupation"))
    }

    /// The skill gap between a profile and an occupation.
    pub fn gap(&self, profile: &LearnerProfile, occupation: OccupationId) -> SkillGap {
        let t = &self.taxonomy.taxonomy;
        let skills: Vec<SkillId> = profile
            .weighted_skills(t)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        skill_gap(t, &self.prepared().groups, &skills, occupation)
    }

    /// Skill weights for the index: missing essential skills, rarest first, then optional ones.
    fn wanted(&self, gap: &SkillGap) -> Vec<(String, f32)> {
        let t = &self.taxonomy.taxonomy;
        let idx = &self.prepared().index;
        let mut essential = gap.missing_essential.clone();
        essential.sort_by(|a, b| idx.idf(*b).total_cmp(&idx.idf(*a)).then(a.cmp(b)));
        let mut optional = gap.missing_optional.clone();
        optional.sort_by(|a, b| idx.idf(*b).total_cmp(&idx.idf(*a)).then(a.cmp(b)));
        essential
            .iter()
            .map(|s| (*s, 1.0))
            .chain(optional.iter().map(|s| (*s, OPTIONAL_GAP_WEIGHT as f32)))
            .take(PLAN_SKILLS)
            .filter_map(|(s, w)| t.skill(s).map(|r| (key_of(&r.uri).to_owned(), w)))
            .collect()
    }

    /// The queries that find candidates where the person can go: online offers, and classroom
    /// ones within their travel range.
    fn candidate_queries(
        &self,
        profile: &LearnerProfile,
        wanted: &[(String, f32)],
    ) -> Vec<OfferQuery> {
        let base = OfferQuery {
            teaches: wanted.to_vec(),
            limit: PLAN_CANDIDATES,
            ..Default::default()
        };
        let home = self.home(profile);
        let travel = profile.travel.unwrap_or(if home.is_some() {
            TravelRange::Province
        } else {
            TravelRange::Anywhere
        });
        let mut online = base.clone();
        online.filters.modalities = vec![Modality::Online];
        let mut nearby = base.clone();
        nearby.filters.modalities = vec![Modality::OnSite, Modality::Blended];
        match (travel, home) {
            (TravelRange::OnlineOnly, _) => vec![online],
            (TravelRange::Anywhere, _) | (_, None) => vec![base],
            (TravelRange::Province, Some(m)) => {
                nearby.filters.provinces = vec![m.province.clone()];
                vec![online, nearby]
            }
            (TravelRange::Region | TravelRange::Municipality, Some(m)) => {
                nearby.filters.regions = vec![m.region.clone()];
                vec![online, nearby]
            }
        }
    }

    /// The facts for pricing: the person's saved financing answers, completed with the
    /// profile's municipality and education.
    async fn facts(
        &self,
        principal: &Principal,
        profile: &LearnerProfile,
    ) -> AppResult<PersonFacts> {
        let mut facts = match self.financing.facts_for(Some(principal), None).await {
            Ok(f) => f,
            // Answers saved under older rules that no longer validate: price without them.
            Err(AppError::InvalidFields(_)) => PersonFacts::default(),
            Err(e) => return Err(e),
        };
        if facts.municipality.is_none() {
            facts.municipality = profile.municipality.clone();
        }
        if facts.education.is_none() {
            facts.education = profile.education;
        }
        Ok(facts)
    }

    /// Gap and training plan for a person and an occupation.
    pub async fn plan(
        &self,
        principal: &Principal,
        profile: &LearnerProfile,
        occupation: OccupationId,
    ) -> AppResult<PlanOutcome> {
        let facts = self.facts(principal, profile).await?;
        self.plan_with(&facts, profile, occupation).await
    }

    /// The plan for given financing facts (also used by benchmarks).
    pub async fn plan_with(
        &self,
        facts: &PersonFacts,
        profile: &LearnerProfile,
        occupation: OccupationId,
    ) -> AppResult<PlanOutcome> {
        let gap = self.gap(profile, occupation);
        let wanted = self.wanted(&gap);
        let today = today(self.clock.as_ref());
        let mut ids: Vec<i64> = Vec::new();
        if !wanted.is_empty() {
            for q in self.candidate_queries(profile, &wanted) {
                let page = self
                    .index
                    .search(&q, today)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                ids.extend(page.hits.iter().map(|h| h.offer_id));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut offers = self.offers.offers_by_ids(&ids).await?;
        offers.retain(|o| o.content.status == OfferStatus::Published);
        if profile.travel == Some(TravelRange::Municipality)
            && let Some(home) = self.home(profile)
        {
            offers.retain(|o| {
                o.content.modality == Modality::Online
                    || o.content.municipalities().contains(&home.code.as_str())
            });
        }
        let mut provider_ids: Vec<i64> = offers.iter().map(|o| o.provider_id).collect();
        provider_ids.sort_unstable();
        provider_ids.dedup();
        let accreditations: HashMap<i64, Vec<Accreditation>> = self
            .offers
            .providers_by_ids(&provider_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p.accreditations))
            .collect();
        let no_accreditations: Vec<Accreditation> = Vec::new();
        let pairs: Vec<(&Offer, &[Accreditation])> = offers
            .iter()
            .map(|o| {
                (
                    o,
                    accreditations
                        .get(&o.provider_id)
                        .unwrap_or(&no_accreditations)
                        .as_slice(),
                )
            })
            .collect();
        let prices = self.financing.net_prices_of(facts, &pairs).await?;
        let t = &self.taxonomy.taxonomy;
        let candidates: Vec<PlanCandidate> = offers
            .iter()
            .zip(&prices)
            .map(|(o, (gross, net))| PlanCandidate {
                offer_id: o.id,
                skills: o
                    .content
                    .skills
                    .iter()
                    .filter_map(|s| t.skill_id(&s.uri))
                    .collect(),
                level: o.content.level,
                modality: o.content.modality,
                study_load_hours: o.content.study_load_hours,
                next_start: o.content.next_start(today),
                gross_cents: *gross,
                net_cents: *net,
            })
            .collect();
        let needs = PlanNeeds {
            essential: gap.missing_essential.clone(),
            optional: gap.missing_optional.clone(),
            education: profile.education.or(facts.education),
            hours_per_week: profile.hours_per_week,
            budget_cents: profile.budget_cents,
            today,
        };
        let chosen = plan(&needs, &candidates);
        let mut keep: Vec<i64> = chosen
            .items
            .iter()
            .flat_map(|i| std::iter::once(i.offer_id).chain(i.alternatives.iter().copied()))
            .collect();
        keep.sort_unstable();
        let plan_ids: Vec<i64> = chosen.items.iter().map(|i| i.offer_id).collect();
        let plan_pairs: Vec<(&Offer, &[Accreditation])> = pairs
            .iter()
            .filter(|(o, _)| plan_ids.contains(&o.id))
            .copied()
            .collect();
        let (financing, scheme_names) = self.financing_of(facts, &plan_pairs).await?;
        let candidates_count = candidates.len();
        Ok(PlanOutcome {
            gap,
            plan: chosen,
            offers: offers
                .into_iter()
                .filter(|o| keep.binary_search(&o.id).is_ok())
                .map(|o| (o.id, o))
                .collect(),
            financing,
            scheme_names,
            candidates: candidates_count,
        })
    }

    async fn financing_of(
        &self,
        facts: &PersonFacts,
        offers: &[(&Offer, &[Accreditation])],
    ) -> AppResult<(HashMap<i64, Vec<AppliedScheme>>, HashMap<String, Localized>)> {
        if offers.is_empty() {
            return Ok((HashMap::new(), HashMap::new()));
        }
        let book = self.financing.book().await?;
        let ctx = self.financing.check_context();
        let prepared = book.prepare(&ctx, facts);
        let applied = offers
            .iter()
            .map(|(o, acc)| {
                let f = book.check_offer(&ctx, &prepared, OfferFacts::new(o.id, &o.content, acc));
                (o.id, f.applied)
            })
            .collect();
        let names = book
            .entries()
            .iter()
            .map(|e| (e.scheme.slug.clone(), e.scheme.definition.name.clone()))
            .collect();
        Ok((applied, names))
    }
}

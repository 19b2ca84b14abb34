//! The training catalogue: importing offers (files and the provider API), keeping the search
//! index in step with the database, searching, and reading one offer.
//!
//! Imports are two passes over the input. The first validates every offer and reports every
//! problem (file line, field, reason) without writing anything. The second writes the valid
//! offers in one database transaction, a batch at a time, adding each batch to an uncommitted
//! index write that is committed after the database: a crash or `kill -9` halfway leaves both the
//! previous catalogue and its index intact, and a restart indexes whatever the database has that
//! the index lacks (the index remembers the last change number it reflects).

use crate::error::{AppError, AppResult};
use crate::taxonomy::TaxonomyService;
use leerpad_domain::accounts::ports::UserStore;
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::catalogue::ports::{
    InMemoryBatches, OfferBatches, OfferChange, OfferOwner, OfferWrite, SaveSummary, SavedOffer,
    WriteOutcome,
};
use leerpad_domain::catalogue::search::{
    FacetCounts, Highlight, IndexBulk, IndexedOffer, OfferIndex, OfferQuery, SearchError,
};
use leerpad_domain::catalogue::{
    Checks, Offer, OfferContent, OfferDraft, OfferInput, OfferSkill, OfferStatus, Provider,
    RunStatus, SkillSource, validate_offer,
};
use leerpad_domain::clock::Clock;
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::shared::{Date, FieldError};
use leerpad_domain::taxonomy::texts_in;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Offers per write batch: large enough for few statements, small enough to keep memory flat.
const BATCH: usize = 1_000;
/// Skills Leerpad extracts for an offer that names none.
const EXTRACTED_SKILLS: usize = 8;
/// Alternative labels per language indexed for each taught skill.
const ALT_LABELS_INDEXED: usize = 4;

/// A problem with one offer of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Line of the file (or position in an API batch, from 0).
    pub line: u64,
    /// The provider's id of the offer, when known.
    pub key: Option<String>,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(k) = &self.key {
            write!(f, " (offer {k})")?;
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.field, self.message)
        }
    }
}

/// One offer as read, before checking.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: u64,
    pub key: Option<String>,
    pub offer: Result<OfferInput, Vec<FieldError>>,
}

/// The outcome of the checking pass.
#[derive(Debug, Clone, Default)]
pub struct RowCheck {
    pub rows: u64,
    pub problems: Vec<RowProblem>,
    /// Lines of offers with problems, skipped when writing with `skip_invalid`.
    pub bad_lines: HashSet<u64>,
}

impl RowCheck {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether the search index took the change right away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexUpdate {
    Indexed,
    /// Another process (a running server) holds the index; it catches up from the database.
    Deferred,
}

#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub summary: SaveSummary,
    pub index: IndexUpdate,
    /// Offers that got skills extracted from their texts.
    pub skills_extracted: u64,
    /// Every offer read, and every problem.
    pub check: RowCheck,
    /// Whether anything was written (false when problems rolled back an all-or-nothing import).
    pub committed: bool,
}

/// Per offer of a provider batch: what happened, or why it was refused.
#[derive(Debug, Clone, Serialize)]
pub struct BatchItem {
    pub index: usize,
    pub provider_offer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<WriteOutcome>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// A found offer with what a result list shows.
#[derive(Debug, Clone)]
pub struct OfferCard {
    pub offer: Offer,
    pub provider: Option<Provider>,
    pub title: Highlight,
    pub snippet: Highlight,
    /// Municipalities it runs in.
    pub places: Vec<Municipality>,
    pub next_start: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: u64,
    pub cards: Vec<OfferCard>,
    pub facets: FacetCounts,
}

/// A taught skill with its label in the language asked for.
#[derive(Debug, Clone, Serialize)]
pub struct SkillLabel {
    pub uri: String,
    pub label: String,
    /// The label is in English because the taxonomy has none in the language asked for.
    pub fallback: bool,
    pub source: SkillSource,
}

/// One offer with everything its page shows.
#[derive(Debug, Clone)]
pub struct OfferDetails {
    pub offer: Offer,
    pub provider: Option<Provider>,
    pub skills: Vec<SkillLabel>,
    /// Municipality of each run, by CBS code.
    pub places: HashMap<String, Municipality>,
}

/// The catalogue use cases.
#[derive(Clone)]
pub struct Catalogue {
    offers: Arc<dyn CatalogueStore>,
    users: Arc<dyn UserStore>,
    index: Arc<dyn OfferIndex>,
    taxonomy: Arc<TaxonomyService>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
    /// One index writer per process at a time.
    index_lock: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalogue")
    }
}

fn search_error(e: SearchError) -> AppError {
    AppError::Internal(e.to_string())
}

/// Today's date in the Netherlands (close enough: UTC+1, which never changes the day for the
/// questions asked here by more than an hour at midnight).
pub fn today(clock: &dyn Clock) -> Date {
    let secs = clock.now() + 3_600;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

impl Catalogue {
    pub fn new(
        offers: Arc<dyn CatalogueStore>,
        users: Arc<dyn UserStore>,
        index: Arc<dyn OfferIndex>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Catalogue {
            offers,
            users,
            index,
            taxonomy,
            regions,
            clock,
            index_lock: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    pub fn today(&self) -> Date {
        today(self.clock.as_ref())
    }

    /// Check one offer against the rules.
    pub fn validate(&self, input: &OfferInput) -> Result<OfferDraft, Vec<FieldError>> {
        let tax = &self.taxonomy.taxonomy;
        let skill_uri = |s: &str| -> Option<String> {
            tax.skill_id(s)
                .and_then(|id| tax.skill(id))
                .map(|k| k.uri.clone())
        };
        validate_offer(
            input,
            &Checks {
                regions: &self.regions,
                skill_uri: &skill_uri,
            },
        )
    }

    /// Give an offer that names no skills the skills its texts mention (marked as extracted);
    /// returns whether any were found.
    fn add_skills(&self, content: &mut OfferContent) -> bool {
        if !content.skills.is_empty() {
            return false;
        }
        let mut found = Vec::new();
        for lang in ["nl", "en"] {
            let text = format!(
                "{}. {}",
                content.title.get_marked(lang).0,
                content.summary.get_marked(lang).0
            );
            for e in self.taxonomy.mention_skills(&text, lang, EXTRACTED_SKILLS) {
                if let Some(s) = self.taxonomy.taxonomy.skill(e.skill)
                    && !found.iter().any(|k: &OfferSkill| k.uri == s.uri)
                {
                    found.push(OfferSkill {
                        uri: s.uri.clone(),
                        source: SkillSource::Extracted,
                    });
                }
            }
        }
        found.truncate(EXTRACTED_SKILLS);
        content.skills = found;
        !content.skills.is_empty()
    }

    /// Check every offer of an import without writing anything (`--dry-run`).
    pub fn check_rows(
        &self,
        rows: impl Iterator<Item = ImportRow>,
        provider_required: bool,
        progress: &dyn Fn(u64),
    ) -> RowCheck {
        let mut checker = RowChecker::new(self, provider_required);
        for row in rows {
            checker.check(row);
            if checker.result.rows.is_multiple_of(1_000) {
                progress(checker.result.rows);
            }
        }
        progress(checker.result.rows);
        checker.result
    }

    /// Import offers in one pass: each is checked as it is read; the valid ones are written in
    /// one database transaction and added to an index write committed after it. Any problem
    /// rolls everything back, unless `skip_invalid`, which writes the valid offers. Either way
    /// the outcome lists every problem.
    pub async fn import_rows(
        &self,
        rows: Box<dyn Iterator<Item = ImportRow> + Send>,
        skip_invalid: bool,
        progress: Arc<dyn Fn(u64) + Send + Sync>,
    ) -> AppResult<ImportOutcome> {
        let _guard = self.index_lock.lock().await;
        // The index may be held by a running server; then it catches up by itself.
        let bulk = self.index.bulk().ok();
        let index = if bulk.is_some() {
            IndexUpdate::Indexed
        } else {
            IndexUpdate::Deferred
        };
        let mut batches = RowBatches {
            catalogue: self,
            incoming: read_ahead(self.clone(), rows, skip_invalid),
            bulk,
            done: 0,
            extracted: 0,
            check: None,
            skip_invalid,
            progress,
            today: self.today(),
        };
        let saved = self
            .offers
            .save_offers(&mut batches, self.clock.now())
            .await;
        let check = batches.check.take().unwrap_or_default();
        let extracted = batches.extracted;
        let summary = match saved {
            Ok(summary) => summary,
            Err(_) if !check.is_clean() && !skip_invalid => {
                // Rolled back because of the problems: nothing was written.
                return Ok(ImportOutcome {
                    summary: SaveSummary::default(),
                    index,
                    skills_extracted: 0,
                    check,
                    committed: false,
                });
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(bulk) = batches.bulk.take() {
            bulk.commit(summary.last_seq).map_err(search_error)?;
        }
        Ok(ImportOutcome {
            summary,
            index,
            skills_extracted: extracted,
            check,
            committed: true,
        })
    }

    /// `POST /api/v1/offers:batch`: a provider writes its own offers. All or nothing unless
    /// `skip_invalid`, in which case the valid ones are written and the others reported.
    pub async fn provider_batch(
        &self,
        principal: &Principal,
        inputs: Vec<OfferInput>,
        skip_invalid: bool,
    ) -> AppResult<(Vec<BatchItem>, Option<SaveSummary>)> {
        principal.authorize(Action::ManageOwnOffers)?;
        let provider = self
            .offers
            .provider_of_user(principal.user_id)
            .await?
            .ok_or(AppError::NoProvider)?;
        let mut items = Vec::with_capacity(inputs.len());
        let mut writes = Vec::new();
        let mut write_items = Vec::new();
        let mut seen = HashSet::new();
        for (i, input) in inputs.iter().enumerate() {
            let mut item = BatchItem {
                index: i,
                provider_offer_id: input.provider_offer_id.clone(),
                offer_id: None,
                outcome: None,
                errors: Vec::new(),
            };
            match self.validate(input) {
                Ok(draft) => {
                    if let Some(p) = &draft.provider
                        && p.kvk.as_str() != provider.kvk
                    {
                        item.errors.push(FieldError {
                            field: "provider.kvk".into(),
                            message: "a provider may only write its own offers".into(),
                        });
                    } else if !seen.insert(draft.provider_offer_id.clone()) {
                        item.errors.push(FieldError {
                            field: "provider_offer_id".into(),
                            message: "occurs twice in this batch".into(),
                        });
                    } else {
                        let mut content = draft.content;
                        self.add_skills(&mut content);
                        writes.push(OfferWrite {
                            owner: OfferOwner::Provider(provider.id),
                            provider_offer_id: draft.provider_offer_id,
                            content,
                        });
                        write_items.push(i);
                    }
                }
                Err(errors) => item.errors = errors,
            }
            items.push(item);
        }
        let invalid = items.iter().any(|i| !i.errors.is_empty());
        if invalid && !skip_invalid {
            return Ok((items, None));
        }
        let (saved, summary) = self.write(writes).await?;
        for (s, i) in saved.iter().zip(write_items) {
            if let Some(item) = items.get_mut(i) {
                item.offer_id = Some(s.offer_id);
                item.outcome = Some(s.outcome);
            }
        }
        Ok((items, Some(summary)))
    }

    /// Write offers held in memory and index them.
    pub async fn write(
        &self,
        writes: Vec<OfferWrite>,
    ) -> AppResult<(Vec<SavedOffer>, SaveSummary)> {
        let _guard = self.index_lock.lock().await;
        let mut batches = InMemoryBatches::new(writes, BATCH);
        let summary = self
            .offers
            .save_offers(&mut batches, self.clock.now())
            .await?;
        drop(_guard);
        self.sync_index().await?;
        Ok((batches.saved, summary))
    }

    /// Bring the index up to date with the database: index every offer changed after the last
    /// change the index reflects. Returns how many were indexed.
    pub async fn sync_index(&self) -> AppResult<u64> {
        let _guard = self.index_lock.lock().await;
        let from = self.index.change_seq().map_err(search_error)?;
        let (latest, _) = self.offers.catalogue_state().await?;
        if latest <= from {
            return Ok(0);
        }
        let mut bulk = match self.index.bulk() {
            Ok(b) => b,
            // Another process is writing the index: try again later.
            Err(_) => return Ok(0),
        };
        let mut done = 0;
        let mut after = from;
        let mut providers: HashMap<i64, String> = HashMap::new();
        let today = self.today();
        loop {
            let page = self.offers.offers_changed_after(after, 2_000).await?;
            let Some((_, last)) = page.last() else { break };
            after = *last;
            let missing: Vec<i64> = page
                .iter()
                .map(|(o, _)| o.provider_id)
                .filter(|p| !providers.contains_key(p))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            for p in self.offers.providers_by_ids(&missing).await? {
                providers.insert(p.id, p.name);
            }
            let docs: Vec<IndexedOffer> = page
                .iter()
                .map(|(o, _)| {
                    let name = providers.get(&o.provider_id).cloned().unwrap_or_default();
                    self.indexed(o.id, o.provider_id, &o.content, name, o.updated_at, today)
                })
                .collect();
            bulk.add(&docs).map_err(search_error)?;
            done += docs.len() as u64;
        }
        bulk.commit(after).map_err(search_error)?;
        Ok(done)
    }

    /// Empty the index and fill it from the database.
    pub async fn rebuild_index(&self) -> AppResult<u64> {
        {
            let _guard = self.index_lock.lock().await;
            self.index.clear().map_err(search_error)?;
        }
        self.sync_index().await
    }

    /// What the index holds of an offer.
    pub fn indexed(
        &self,
        offer_id: i64,
        provider_id: i64,
        c: &OfferContent,
        provider_name: String,
        updated_at: i64,
        today: Date,
    ) -> IndexedOffer {
        let tax = &self.taxonomy.taxonomy;
        let mut skill_labels = Vec::new();
        let mut skill_keys = Vec::new();
        for s in &c.skills {
            let Some(skill) = tax.skill_id(&s.uri).and_then(|id| tax.skill(id)) else {
                continue;
            };
            skill_keys.push(leerpad_domain::taxonomy::key_of(&skill.uri).to_owned());
            for t in &skill.texts {
                skill_labels.push((t.lang.clone(), t.preferred.clone()));
                skill_labels.extend(
                    t.alt
                        .iter()
                        .take(ALT_LABELS_INDEXED)
                        .map(|a| (t.lang.clone(), a.clone())),
                );
            }
        }
        let mut provinces = Vec::new();
        let mut regions = Vec::new();
        for code in c.municipalities() {
            if let Some(m) = self.regions.municipality(code) {
                if !provinces.contains(&m.province) {
                    provinces.push(m.province.clone());
                }
                if !regions.contains(&m.region) {
                    regions.push(m.region.clone());
                }
            }
        }
        let mut starts: Vec<Date> = c
            .runs
            .iter()
            .filter(|r| r.status == RunStatus::Open)
            .filter_map(|r| r.start)
            .filter(|d| *d >= today)
            .collect();
        starts.sort();
        IndexedOffer {
            offer_id,
            provider_id,
            title: c.title.clone(),
            summary: c.summary.clone(),
            description: c.description.clone(),
            provider_name,
            skill_labels,
            skill_keys,
            kind: c.kind,
            level: c.level,
            modality: c.modality,
            provinces,
            regions,
            gross_price_cents: c.gross_price_cents(),
            study_load_hours: c.study_load_hours,
            credential: c.credential,
            languages: c.languages.clone(),
            starts,
            published: c.status == OfferStatus::Published,
            updated_at,
        }
    }

    /// Search published offers; cards carry highlighted titles and snippets in `lang`.
    pub async fn search(&self, query: &OfferQuery, lang: &str) -> AppResult<SearchResults> {
        let today = self.today();
        let index = self.index.clone();
        let q = query.clone();
        let page = index.search(&q, today).map_err(search_error)?;
        let ids: Vec<i64> = page.hits.iter().map(|h| h.offer_id).collect();
        let offers = self.offers.offers_by_ids(&ids).await?;
        let provider_ids: Vec<i64> = offers
            .iter()
            .map(|o| o.provider_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let providers: HashMap<i64, Provider> = self
            .offers
            .providers_by_ids(&provider_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let titles: Vec<&str> = offers.iter().map(|o| o.content.title.get(lang)).collect();
        let bodies: Vec<String> = offers
            .iter()
            .map(|o| {
                let summary = o.content.summary.get(lang);
                let description = o.content.description.get(lang);
                if summary.is_empty() {
                    description.to_owned()
                } else {
                    format!("{summary} {description}")
                }
            })
            .collect();
        let body_refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let title_marks = self.index.highlight(&query.text, lang, true, &titles, 200);
        let snippets = self
            .index
            .highlight(&query.text, lang, false, &body_refs, 220);
        let cards = offers
            .into_iter()
            .zip(title_marks)
            .zip(snippets)
            .map(|((offer, title), snippet)| {
                let places = offer
                    .content
                    .municipalities()
                    .iter()
                    .filter_map(|c| self.regions.municipality(c).cloned())
                    .collect();
                let next_start = offer.content.next_start(today);
                OfferCard {
                    provider: providers.get(&offer.provider_id).cloned(),
                    offer,
                    title,
                    snippet,
                    places,
                    next_start,
                }
            })
            .collect();
        Ok(SearchResults {
            total: page.total,
            cards,
            facets: page.facets,
        })
    }

    /// A published offer (drafts and archived offers only for their provider and admins).
    pub async fn offer(
        &self,
        id: i64,
        viewer: Option<&Principal>,
        lang: &str,
    ) -> AppResult<OfferDetails> {
        let offer = self
            .offers
            .offer(id)
            .await?
            .ok_or(AppError::NotFound("offer"))?;
        let provider = self.offers.provider(offer.provider_id).await?;
        if offer.content.status != OfferStatus::Published {
            let own = match viewer {
                Some(p) if p.authorize(Action::ManageOwnOffers).is_ok() => {
                    p.roles.contains(leerpad_domain::role::Role::Admin)
                        || self
                            .offers
                            .provider_of_user(p.user_id)
                            .await?
                            .is_some_and(|mine| mine.id == offer.provider_id)
                }
                _ => false,
            };
            if !own {
                return Err(AppError::NotFound("offer"));
            }
        }
        let tax = &self.taxonomy.taxonomy;
        let skills = offer
            .content
            .skills
            .iter()
            .filter_map(|s| {
                let skill = tax.skill_id(&s.uri).and_then(|id| tax.skill(id))?;
                let (texts, fallback) = texts_in(&skill.texts, lang)?;
                Some(SkillLabel {
                    uri: s.uri.clone(),
                    label: texts.preferred.clone(),
                    fallback,
                    source: s.source,
                })
            })
            .collect();
        let places = offer
            .content
            .municipalities()
            .iter()
            .filter_map(|c| self.regions.municipality(c))
            .map(|m| (m.code.clone(), m.clone()))
            .collect();
        Ok(OfferDetails {
            offer,
            provider,
            skills,
            places,
        })
    }

    /// The provider organisation the caller acts for.
    pub async fn own_provider(&self, principal: &Principal) -> AppResult<Provider> {
        principal.authorize(Action::ManageOwnOffers)?;
        self.offers
            .provider_of_user(principal.user_id)
            .await?
            .ok_or(AppError::NoProvider)
    }

    /// Register (or update) the organisation a provider account acts for. A KvK number that is
    /// already registered to another account cannot be claimed: a colleague who acts for it
    /// adds the account (`add_colleague`). Decided by the store in one transaction, so of
    /// several accounts claiming one KvK number at once exactly one wins (the rest get 409).
    pub async fn register_provider(
        &self,
        principal: &Principal,
        input: &leerpad_domain::catalogue::ProviderInput,
    ) -> AppResult<Provider> {
        principal.authorize(Action::ManageOwnOffers)?;
        let draft =
            leerpad_domain::catalogue::validate_provider(input).map_err(AppError::InvalidFields)?;
        let admin = principal.roles.contains(leerpad_domain::role::Role::Admin);
        Ok(self
            .offers
            .claim_provider(principal.user_id, &draft, admin, self.clock.now())
            .await?)
    }

    /// A member of a provider organisation lets a colleague's provider account act for it too:
    /// joining an organisation needs the consent of someone who already acts for it.
    pub async fn add_colleague(
        &self,
        principal: &Principal,
        colleague_email: &str,
    ) -> AppResult<Provider> {
        principal.authorize(Action::ManageOwnOffers)?;
        let email = leerpad_domain::accounts::Email::parse(colleague_email)?;
        let colleague = self
            .users
            .user_by_email(email.as_str())
            .await?
            .ok_or(AppError::NotFound("account"))?;
        let roles = self.users.roles_of(colleague.id).await?;
        if !roles.contains(leerpad_domain::role::Role::Provider) {
            return Err(AppError::Conflict(
                "that account is not a provider account".into(),
            ));
        }
        Ok(self
            .offers
            .add_colleague(principal.user_id, colleague.id)
            .await?)
    }

    /// The change feed: the latest change of each offer after `since`, oldest first.
    pub async fn changes(&self, since: i64, limit: u32) -> AppResult<Vec<OfferChange>> {
        Ok(self.offers.offer_changes(since, limit).await?)
    }
}

/// Feeds checked rows to the store in batches and adds each written batch to the index write.
/// Checks offers one by one: every problem with its line, and offers that occur twice.
struct RowChecker<'a> {
    catalogue: &'a Catalogue,
    provider_required: bool,
    first_line: HashMap<(String, String), u64>,
    result: RowCheck,
}

impl<'a> RowChecker<'a> {
    fn new(catalogue: &'a Catalogue, provider_required: bool) -> Self {
        RowChecker {
            catalogue,
            provider_required,
            first_line: HashMap::new(),
            result: RowCheck::default(),
        }
    }

    fn problem(&mut self, row: &ImportRow, field: &str, message: String) {
        self.result.problems.push(RowProblem {
            line: row.line,
            key: row.key.clone(),
            field: field.to_owned(),
            message,
        });
        self.result.bad_lines.insert(row.line);
    }

    /// The draft of a valid offer; problems are recorded.
    fn check(&mut self, row: ImportRow) -> Option<OfferDraft> {
        self.result.rows += 1;
        let input = match &row.offer {
            Ok(i) => i,
            Err(errors) => {
                for e in errors {
                    self.problem(&row, &e.field, e.message.clone());
                }
                return None;
            }
        };
        match self.catalogue.validate(input) {
            Ok(draft) => {
                if self.provider_required && draft.provider.is_none() {
                    self.problem(
                        &row,
                        "provider",
                        "required: the provider's KvK number and name (or give --provider)".into(),
                    );
                    return None;
                }
                let kvk = draft
                    .provider
                    .as_ref()
                    .map(|p| p.kvk.to_string())
                    .unwrap_or_default();
                let key = (kvk, draft.provider_offer_id.clone());
                if let Some(first) = self.first_line.get(&key).copied() {
                    self.problem(
                        &row,
                        "provider_offer_id",
                        format!("'{}' occurs twice: first on line {first}", key.1),
                    );
                    return None;
                }
                self.first_line.insert(key, row.line);
                Some(draft)
            }
            Err(errors) => {
                for e in errors {
                    self.problem(&row, &e.field, e.message);
                }
                None
            }
        }
    }
}

/// What the reading thread sends.
enum Incoming {
    Batch(Vec<OfferDraft>, u64),
    /// The end of the input, with every problem found.
    Done(RowCheck),
}

/// Feeds checked offers to the store in batches and adds each written batch to the index write.
struct RowBatches<'a> {
    catalogue: &'a Catalogue,
    incoming: std::sync::mpsc::Receiver<Incoming>,
    bulk: Option<Box<dyn IndexBulk + 'a>>,
    done: u64,
    extracted: u64,
    check: Option<RowCheck>,
    skip_invalid: bool,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
    today: Date,
}

/// Read, check and prepare (extract skills for) offers on a thread of its own, so reading the
/// file overlaps with writing the database and the index. After the first problem of an
/// all-or-nothing import, nothing more is sent for writing, but every offer is still checked.
fn read_ahead(
    catalogue: Catalogue,
    rows: Box<dyn Iterator<Item = ImportRow> + Send>,
    skip_invalid: bool,
) -> std::sync::mpsc::Receiver<Incoming> {
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    std::thread::spawn(move || {
        let mut checker = RowChecker::new(&catalogue, true);
        let mut drafts = Vec::with_capacity(BATCH);
        for row in rows {
            let draft = checker.check(row);
            if !skip_invalid && !checker.result.is_clean() {
                drafts.clear();
                continue;
            }
            drafts.extend(draft);
            if drafts.len() >= BATCH {
                let mut batch = std::mem::replace(&mut drafts, Vec::with_capacity(BATCH));
                let extracted = batch
                    .iter_mut()
                    .map(|d| u64::from(catalogue.add_skills(&mut d.content)))
                    .sum();
                if tx.send(Incoming::Batch(batch, extracted)).is_err() {
                    return; // the writer gave up
                }
            }
        }
        if !drafts.is_empty() {
            let extracted = drafts
                .iter_mut()
                .map(|d| u64::from(catalogue.add_skills(&mut d.content)))
                .sum();
            if tx.send(Incoming::Batch(drafts, extracted)).is_err() {
                return;
            }
        }
        let _ = tx.send(Incoming::Done(checker.result));
    });
    rx
}

impl OfferBatches for RowBatches<'_> {
    fn next_batch(&mut self) -> Option<Vec<OfferWrite>> {
        let (drafts, extracted) = match self.incoming.recv().ok()? {
            Incoming::Batch(d, e) => (d, e),
            Incoming::Done(check) => {
                self.check = Some(check);
                return None;
            }
        };
        self.extracted += extracted;
        Some(
            drafts
                .into_iter()
                .map(|d| OfferWrite {
                    owner: match d.provider {
                        Some(p) => OfferOwner::ByKvk(p),
                        None => OfferOwner::Provider(0),
                    },
                    provider_offer_id: d.provider_offer_id,
                    content: d.content,
                })
                .collect(),
        )
    }

    fn finish(&mut self) -> Result<(), String> {
        match &self.check {
            Some(check) if !check.is_clean() && !self.skip_invalid => {
                Err(format!("{} offers have problems", check.bad_lines.len()))
            }
            Some(_) => Ok(()),
            None => Err("the input ended unexpectedly".into()),
        }
    }

    fn written(&mut self, batch: &[OfferWrite], saved: &[SavedOffer]) -> Result<(), String> {
        self.done += batch.len() as u64;
        (self.progress)(self.done);
        let Some(bulk) = self.bulk.as_mut() else {
            return Ok(());
        };
        let now = self.catalogue.clock.now();
        let docs: Vec<IndexedOffer> = batch
            .iter()
            .zip(saved)
            .filter(|(_, s)| s.outcome != WriteOutcome::Unchanged)
            .map(|(w, s)| {
                let name = match &w.owner {
                    OfferOwner::ByKvk(p) => p.name.clone(),
                    OfferOwner::Provider(_) => String::new(),
                };
                self.catalogue
                    .indexed(s.offer_id, s.provider_id, &w.content, name, now, self.today)
            })
            .collect();
        bulk.add(&docs).map_err(|e| e.to_string())
    }
}

//! Importing offers: checking every row, then writing the valid ones in one transaction with
//! the index write (files and the provider API).

use super::*;
use leerpad_domain::shared::OfferId;

/// A problem with one offer of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Line of the file (or position in an API batch, from 0).
    pub line: u64,
    /// The provider's id of the offer, when known.
    pub key: Option<String>,
    pub field: String,
    pub message: String,
    /// The problem's translation key and arguments, for pages (see `FieldError::code`).
    #[serde(skip)]
    pub code: Option<&'static str>,
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
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
    pub offer_id: Option<OfferId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<WriteOutcome>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Catalogue {
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
        let (mut items, writes) = self.prepare_provider_batch(principal, inputs).await?;
        let invalid = items.iter().any(|i| !i.errors.is_empty());
        if invalid && !skip_invalid {
            return Ok((items, None));
        }
        let write_items: Vec<usize> = items
            .iter()
            .filter(|i| i.errors.is_empty())
            .map(|i| i.index)
            .collect();
        let (saved, summary) = self.write(writes).await?;
        for (s, i) in saved.iter().zip(write_items) {
            if let Some(item) = items.get_mut(i) {
                item.offer_id = Some(s.offer_id);
                item.outcome = Some(s.outcome);
            }
        }
        Ok((items, Some(summary)))
    }

    /// Check a provider's own offers: per offer what is wrong, and the writes of the valid ones
    /// (in the order of the items without errors).
    pub(super) async fn prepare_provider_batch(
        &self,
        principal: &Principal,
        inputs: Vec<OfferInput>,
    ) -> AppResult<(Vec<BatchItem>, Vec<OfferWrite>)> {
        principal.authorize(Action::ManageOwnOffers)?;
        let provider = self
            .offers
            .provider_of_user(principal.user_id)
            .await?
            .ok_or(AppError::NoProvider)?;
        let mut items = Vec::with_capacity(inputs.len());
        let mut writes = Vec::new();
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
                        item.errors.push(FieldError::new(
                            "provider.kvk",
                            "a provider may only write its own offers",
                        ));
                    } else if !seen.insert(draft.provider_offer_id.clone()) {
                        item.errors.push(FieldError::new(
                            "provider_offer_id",
                            "occurs twice in this batch",
                        ));
                    } else {
                        let mut content = draft.content;
                        self.add_skills(&mut content);
                        writes.push(OfferWrite {
                            owner: OfferOwner::Provider(provider.id.get()),
                            provider_offer_id: draft.provider_offer_id,
                            content,
                        });
                    }
                }
                Err(errors) => item.errors = errors,
            }
            items.push(item);
        }
        Ok((items, writes))
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
            code: None,
            args: Vec::new(),
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

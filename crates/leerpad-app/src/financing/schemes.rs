//! Reading and writing schemes: the public overview, the editor with versions, the examples.

use super::*;
use leerpad_domain::shared::SchemeId;

impl Financing {
    /// Published schemes matching the filter, for everyone.
    pub async fn published(&self, filter: &SchemeFilter) -> AppResult<Vec<Scheme>> {
        let all = self.schemes.schemes().await?;
        Ok(all
            .into_iter()
            .filter(|s| s.status == SchemeStatus::Published)
            .filter(|s| filter.funder.is_none_or(|f| s.definition.funder.kind == f))
            .filter(|s| {
                filter.employment.is_none_or(|e| {
                    let named = s.definition.eligibility.employment_statuses();
                    named.is_empty() || named.contains(&e)
                })
            })
            .filter(|s| {
                filter.province.as_ref().is_none_or(|p| {
                    self.provinces_of(s)
                        .is_none_or(|ps| ps.iter().any(|x| x.eq_ignore_ascii_case(p)))
                })
            })
            .collect())
    }

    /// Every scheme with its budget use, drafts and closed ones included: programme managers.
    pub async fn all(&self, principal: &Principal) -> AppResult<Vec<(Scheme, BudgetUse)>> {
        principal.authorize(Action::ManageProgrammes)?;
        let uses: HashMap<SchemeId, BudgetUse> = self
            .schemes
            .scheme_use()
            .await?
            .into_iter()
            .map(|(id, u)| (id, u.budget))
            .collect();
        Ok(self
            .schemes
            .schemes()
            .await?
            .into_iter()
            .map(|s| {
                let u = uses.get(&s.id).cloned().unwrap_or_default();
                (s, u)
            })
            .collect())
    }

    /// One scheme. Drafts only for programme managers, who also see its budget and history.
    pub async fn scheme(&self, slug: &str, viewer: Option<&Principal>) -> AppResult<SchemeDetails> {
        let scheme = self
            .schemes
            .scheme(slug)
            .await?
            .ok_or(AppError::NotFound("scheme"))?;
        let manager = viewer.is_some_and(|p| p.authorize(Action::ManageProgrammes).is_ok());
        if scheme.status == SchemeStatus::Draft && !manager {
            return Err(AppError::NotFound("scheme"));
        }
        let budget_use = self
            .schemes
            .scheme_use()
            .await?
            .into_iter()
            .find(|(id, _)| *id == scheme.id)
            .map(|(_, u)| u.budget)
            .unwrap_or_default();
        let revisions = if manager {
            self.schemes.scheme_revisions(scheme.id).await?
        } else {
            Vec::new()
        };
        Ok(SchemeDetails {
            scheme,
            budget_use,
            revisions,
        })
    }

    /// The slugs of every stored scheme (for exclusions and duplicates).
    async fn slugs(&self) -> AppResult<Vec<String>> {
        Ok(self
            .schemes
            .schemes()
            .await?
            .into_iter()
            .map(|s| s.slug)
            .collect())
    }

    async fn validate(&self, slug: &str, def: &SchemeDefinition) -> AppResult<()> {
        let known = self.slugs().await?;
        let mut errors = Vec::new();
        if let Err(e) = validate_slug(slug) {
            errors.push(e);
        }
        errors.extend(validate_scheme(def, slug, &known, &self.rule_context()));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::InvalidFields(errors))
        }
    }

    /// A new scheme, as a draft.
    pub async fn create(
        &self,
        principal: &Principal,
        slug: &str,
        def: &SchemeDefinition,
    ) -> AppResult<Scheme> {
        principal.authorize(Action::ManageProgrammes)?;
        self.validate(slug, def).await?;
        self.schemes
            .create_scheme(SchemeWrite {
                slug,
                status: SchemeStatus::Draft,
                definition: def,
                action: "created",
                actor_id: Some(principal.user_id),
                at: self.clock.now(),
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    AppError::Conflict(format!("there is already a scheme called '{slug}'"))
                }
                other => other.into(),
            })
    }

    /// Save an edited definition; `version` is the one the editor started from.
    pub async fn update(
        &self,
        principal: &Principal,
        slug: &str,
        version: i64,
        def: &SchemeDefinition,
    ) -> AppResult<Scheme> {
        principal.authorize(Action::ManageProgrammes)?;
        let current = self
            .schemes
            .scheme(slug)
            .await?
            .ok_or(AppError::NotFound("scheme"))?;
        self.validate(slug, def).await?;
        self.write(principal, &current, version, def, current.status, "edited")
            .await
    }

    /// Publish or close a scheme (a closed scheme can be published again).
    pub async fn set_status(
        &self,
        principal: &Principal,
        slug: &str,
        version: i64,
        status: SchemeStatus,
    ) -> AppResult<Scheme> {
        principal.authorize(Action::ManageProgrammes)?;
        let current = self
            .schemes
            .scheme(slug)
            .await?
            .ok_or(AppError::NotFound("scheme"))?;
        let action = match status {
            SchemeStatus::Published => "published",
            SchemeStatus::Closed => "closed",
            SchemeStatus::Draft => "unpublished",
        };
        if status == SchemeStatus::Published {
            // Rules may have become invalid since (a scheme it excludes was renamed).
            self.validate(slug, &current.definition).await?;
        }
        let def = current.definition.clone();
        self.write(principal, &current, version, &def, status, action)
            .await
    }

    async fn write(
        &self,
        principal: &Principal,
        current: &Scheme,
        version: i64,
        def: &SchemeDefinition,
        status: SchemeStatus,
        action: &str,
    ) -> AppResult<Scheme> {
        self.schemes
            .update_scheme(
                SchemeWrite {
                    slug: &current.slug,
                    status,
                    definition: def,
                    action,
                    actor_id: Some(principal.user_id),
                    at: self.clock.now(),
                },
                version,
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(m) => AppError::Conflict(m),
                other => other.into(),
            })?
            .ok_or(AppError::NotFound("scheme"))
    }

    /// Load the example schemes that are not there yet (by slug); returns how many were added.
    pub async fn seed_examples(&self) -> AppResult<usize> {
        let file: SeedFile = toml::from_str(EXAMPLE_SCHEMES)
            .map_err(|e| AppError::Internal(format!("data/schemes/examples.toml: {e}")))?;
        let existing = self.slugs().await?;
        let mut added = 0;
        // Create all first, so exclusions between examples validate.
        let mut known = existing.clone();
        known.extend(file.scheme.iter().map(|s| s.slug.clone()));
        for seed in &file.scheme {
            if existing.contains(&seed.slug) {
                continue;
            }
            let errors =
                validate_scheme(&seed.definition, &seed.slug, &known, &self.rule_context());
            if !errors.is_empty() {
                return Err(AppError::Internal(format!(
                    "example scheme {}: {}",
                    seed.slug,
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
            self.schemes
                .create_scheme(SchemeWrite {
                    slug: &seed.slug,
                    status: seed.status,
                    definition: &seed.definition,
                    action: "seeded",
                    actor_id: None,
                    at: self.clock.now(),
                })
                .await?;
            added += 1;
        }
        Ok(added)
    }

    /// The schemes in force, in stacking order, with their budget use.
    pub async fn book(&self) -> AppResult<SchemeBook> {
        let mut uses: HashMap<SchemeId, leerpad_domain::financing::ports::SchemeUse> =
            self.schemes.scheme_use().await?.into_iter().collect();
        let mut entries: Vec<BookEntry> = self
            .schemes
            .schemes()
            .await?
            .into_iter()
            .filter(|s| s.status == SchemeStatus::Published)
            .map(|scheme| {
                let u = uses.remove(&scheme.id).unwrap_or_default();
                BookEntry {
                    scheme,
                    budget_use: u.budget,
                    awards_per_offer: u.awards_per_offer.into_iter().collect(),
                    only_offers: None,
                }
            })
            .collect();
        entries.extend(self.call_entries().await?);
        Ok(SchemeBook::new(entries))
    }

    /// Each call that pays for approved courses, as an entry that covers those courses in
    /// full (first in the stacking order; its money was held when the courses were approved).
    async fn call_entries(&self) -> AppResult<Vec<BookEntry>> {
        let funded = self.calls.funded_offers().await?;
        if funded.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for call in self.calls.calls().await? {
            let only: Vec<leerpad_domain::shared::OfferId> = funded
                .iter()
                .filter(|(c, _)| *c == call.id)
                .map(|(_, o)| *o)
                .collect();
            if only.is_empty() {
                continue;
            }
            let d = &call.definition;
            let scheme = Scheme {
                id: SchemeId::new(-call.id),
                slug: format!("oproep-{}", call.slug),
                status: SchemeStatus::Published,
                version: 1,
                definition: SchemeDefinition {
                    name: d.title.clone(),
                    description: d.description.clone(),
                    funder: leerpad_domain::financing::Funder {
                        kind: FunderKind::National,
                        name: d.title.get("nl").to_owned(),
                    },
                    benefit: leerpad_domain::financing::Benefit::TrainingCosts,
                    period: Default::default(),
                    coverage: Default::default(),
                    payment: leerpad_domain::financing::Payment::ProviderDirect,
                    stacking: leerpad_domain::financing::Stacking {
                        order: i32::MIN,
                        excludes: Vec::new(),
                    },
                    budget: Default::default(),
                    application: Default::default(),
                    yearly_deposit: None,
                    eligibility: Condition::always(),
                    example: d.example,
                },
                created_at: 0,
                updated_at: 0,
            };
            out.push(BookEntry {
                scheme,
                budget_use: BudgetUse::default(),
                awards_per_offer: Default::default(),
                only_offers: Some(only.into_iter().collect()),
            });
        }
        Ok(out)
    }
}

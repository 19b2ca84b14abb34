//! The financing overview: programme managers write and publish schemes; anyone can see which
//! schemes exist, check what an offer costs them after financing, and why a scheme does not
//! apply.

use crate::catalogue::today;
use crate::error::{AppError, AppResult};
use crate::taxonomy::TaxonomyService;
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::catalogue::{Offer, OfferStatus};
use leerpad_domain::clock::Clock;
use leerpad_domain::financing::Condition;
use leerpad_domain::financing::ports::{FinancingStore, SchemeRevision, SchemeWrite};
use leerpad_domain::financing::{
    BookEntry, BudgetUse, CheckContext, EmploymentStatus, FunderKind, OfferFacts, OfferFinancing,
    PersonFacts, PersonScheme, RuleContext, Scheme, SchemeBook, SchemeDefinition, SchemeStatus,
    validate_scheme, validate_slug,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::ports::StoreError;
use leerpad_domain::regions::Regions;
use leerpad_domain::shared::FieldError;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The example schemes `serve --demo` starts with, modelled on real Dutch schemes.
pub const EXAMPLE_SCHEMES: &str = include_str!("../../../data/schemes/examples.toml");

/// Filters of the public overview.
#[derive(Debug, Clone, Default)]
pub struct SchemeFilter {
    pub funder: Option<FunderKind>,
    /// Province name: schemes open to people living there (national ones included).
    pub province: Option<String>,
    /// Schemes that name this employment status, or none.
    pub employment: Option<EmploymentStatus>,
}

/// One scheme with what a manager needs to see of it.
#[derive(Debug, Clone)]
pub struct SchemeDetails {
    pub scheme: Scheme,
    pub budget_use: BudgetUse,
    /// Only for programme managers.
    pub revisions: Vec<SchemeRevision>,
}

/// The financing check of one offer, with the schemes' names for display.
#[derive(Debug, Clone)]
pub struct OfferCheck {
    pub offer: Offer,
    pub financing: OfferFinancing,
    pub schemes: HashMap<String, Scheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    scheme: Vec<SeedScheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedScheme {
    slug: String,
    status: SchemeStatus,
    definition: SchemeDefinition,
}

/// The example schemes as stored schemes (ids by position), for benchmarks and tools that
/// work without a database.
pub fn example_schemes() -> AppResult<Vec<Scheme>> {
    let file: SeedFile = toml::from_str(EXAMPLE_SCHEMES)
        .map_err(|e| AppError::Internal(format!("data/schemes/examples.toml: {e}")))?;
    Ok(file
        .scheme
        .into_iter()
        .enumerate()
        .map(|(i, s)| Scheme {
            id: i as i64 + 1,
            slug: s.slug,
            status: s.status,
            version: 1,
            definition: s.definition,
            created_at: 0,
            updated_at: 0,
        })
        .collect())
}

pub struct Financing {
    schemes: Arc<dyn FinancingStore>,
    offers: Arc<dyn CatalogueStore>,
    taxonomy: Arc<TaxonomyService>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Financing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Financing")
    }
}

/// Read a scheme definition written in TOML; syntax errors name the line and column.
pub fn parse_definition(text: &str) -> AppResult<SchemeDefinition> {
    toml::from_str::<SchemeDefinition>(text).map_err(|e| {
        let field = match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}")
            }
            None => "definition".to_owned(),
        };
        AppError::InvalidFields(vec![FieldError {
            field,
            message: e.message().to_owned(),
        }])
    })
}

/// A definition as TOML, for editing.
pub fn definition_to_toml(def: &SchemeDefinition) -> String {
    toml::to_string_pretty(def).unwrap_or_default()
}

impl Financing {
    pub fn new(
        schemes: Arc<dyn FinancingStore>,
        offers: Arc<dyn CatalogueStore>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Financing {
            schemes,
            offers,
            taxonomy,
            regions,
            clock,
        }
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    fn rule_context(&self) -> RuleContext<'_> {
        RuleContext {
            regions: &self.regions,
            skill_lists: self.taxonomy.taxonomy.as_ref(),
        }
    }

    pub fn check_context(&self) -> CheckContext<'_> {
        CheckContext {
            today: today(self.clock.as_ref()),
            regions: &self.regions,
            skill_lists: self.taxonomy.taxonomy.as_ref(),
        }
    }

    /// The provinces a scheme is limited to, or none when it is open everywhere.
    pub fn provinces_of(&self, scheme: &Scheme) -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut limited = false;
        for leaf in scheme.definition.eligibility.leaves() {
            match leaf {
                Condition::Province(v) => {
                    limited = true;
                    out.extend(v.iter().cloned());
                }
                Condition::Region(v) => {
                    limited = true;
                    for m in self.regions.municipalities() {
                        if v.iter().any(|r| r.eq_ignore_ascii_case(&m.region)) {
                            out.push(m.province.clone());
                        }
                    }
                }
                Condition::Municipality(v) => {
                    limited = true;
                    out.extend(
                        v.iter()
                            .filter_map(|m| self.regions.municipality(m))
                            .map(|m| m.province.clone()),
                    );
                }
                _ => {}
            }
        }
        out.sort();
        out.dedup();
        limited.then_some(out)
    }

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
        let uses: HashMap<i64, BudgetUse> = self
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

    async fn validate(&self, slug: &str, def: &SchemeDefinition) -> AppResult<()> {
        let known: Vec<String> = self
            .schemes
            .schemes()
            .await?
            .into_iter()
            .map(|s| s.slug)
            .collect();
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
        let existing: Vec<String> = self
            .schemes
            .schemes()
            .await?
            .into_iter()
            .map(|s| s.slug)
            .collect();
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
        let mut uses: HashMap<i64, leerpad_domain::financing::ports::SchemeUse> =
            self.schemes.scheme_use().await?.into_iter().collect();
        let entries = self
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
                }
            })
            .collect();
        Ok(SchemeBook::new(entries))
    }

    /// Check answers before using them.
    pub fn validate_facts(&self, facts: &PersonFacts) -> AppResult<()> {
        let errors = facts.validate(&self.regions, today(self.clock.as_ref()));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::InvalidFields(errors))
        }
    }

    /// The facts for a check: the answers given, else those saved for the account; for an
    /// account, its earlier awards are always added (a visitor cannot claim none).
    pub async fn facts_for(
        &self,
        principal: Option<&Principal>,
        given: Option<PersonFacts>,
    ) -> AppResult<PersonFacts> {
        let mut facts = match (given, principal) {
            (Some(f), _) => f,
            (None, Some(p)) => self.schemes.situation(p.user_id).await?.unwrap_or_default(),
            (None, None) => PersonFacts::default(),
        };
        self.validate_facts(&facts)?;
        facts.prior_awards = match principal {
            Some(p) => self.schemes.awards_of_user(p.user_id).await?,
            None => Vec::new(),
        };
        Ok(facts)
    }

    /// Keep a person's answers with their account; returns them as stored (earlier awards are
    /// never taken from the person, they come from the awards themselves).
    pub async fn save_situation(
        &self,
        principal: &Principal,
        facts: &PersonFacts,
    ) -> AppResult<PersonFacts> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.validate_facts(facts)?;
        let mut stored = facts.clone();
        stored.prior_awards.clear();
        self.schemes
            .save_situation(principal.user_id, &stored, self.clock.now())
            .await?;
        Ok(stored)
    }

    /// The person's own awards (for their data export).
    pub async fn awards(
        &self,
        principal: &Principal,
    ) -> AppResult<Vec<leerpad_domain::financing::PriorAward>> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self.schemes.awards_of_user(principal.user_id).await?)
    }

    pub async fn situation(&self, principal: &Principal) -> AppResult<Option<PersonFacts>> {
        Ok(self.schemes.situation(principal.user_id).await?)
    }

    /// Every published scheme's verdict for a person.
    pub async fn check_person(
        &self,
        facts: &PersonFacts,
    ) -> AppResult<(SchemeBook, Vec<PersonScheme>)> {
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        let verdicts = book.check_person(&ctx, &prepared);
        Ok((book, verdicts))
    }

    /// What one offer costs this person after financing, and why.
    pub async fn check_offer(&self, facts: &PersonFacts, offer_id: i64) -> AppResult<OfferCheck> {
        let offer = self
            .offers
            .offer(offer_id)
            .await?
            .filter(|o| o.content.status == OfferStatus::Published)
            .ok_or(AppError::NotFound("offer"))?;
        let accreditations = self
            .offers
            .provider(offer.provider_id)
            .await?
            .map(|p| p.accreditations)
            .unwrap_or_default();
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        let financing = book.check_offer(
            &ctx,
            &prepared,
            OfferFacts::new(offer.id, &offer.content, &accreditations),
        );
        let schemes = book
            .entries()
            .iter()
            .map(|e| (e.scheme.slug.clone(), e.scheme.clone()))
            .collect();
        Ok(OfferCheck {
            offer,
            financing,
            schemes,
        })
    }

    /// (gross, net) for each offer already in memory (search results), in order.
    pub async fn net_prices_of(
        &self,
        facts: &PersonFacts,
        offers: &[(&Offer, &[leerpad_domain::catalogue::Accreditation])],
    ) -> AppResult<Vec<(i64, i64)>> {
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        Ok(offers
            .iter()
            .map(|(o, acc)| {
                let f = OfferFacts::new(o.id, &o.content, acc);
                (f.gross_cents, book.net_price(&ctx, &prepared, f))
            })
            .collect())
    }

    /// Net prices of many offers for one person (search results): offer id → (gross, net).
    pub async fn net_prices(
        &self,
        facts: &PersonFacts,
        offer_ids: &[i64],
    ) -> AppResult<HashMap<i64, (i64, i64)>> {
        if offer_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let offers = self.offers.offers_by_ids(offer_ids).await?;
        let mut provider_ids: Vec<i64> = offers.iter().map(|o| o.provider_id).collect();
        provider_ids.sort_unstable();
        provider_ids.dedup();
        let accreditations: HashMap<i64, Vec<_>> = self
            .offers
            .providers_by_ids(&provider_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p.accreditations))
            .collect();
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        Ok(offers
            .iter()
            .map(|o| {
                let acc = accreditations
                    .get(&o.provider_id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let facts = OfferFacts::new(o.id, &o.content, acc);
                (
                    o.id,
                    (facts.gross_cents, book.net_price(&ctx, &prepared, facts)),
                )
            })
            .collect())
    }
}

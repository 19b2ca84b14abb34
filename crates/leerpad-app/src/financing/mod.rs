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
use leerpad_domain::shared::{FieldError, SchemeId};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The example schemes `serve --demo` starts with, modelled on real Dutch schemes.
pub const EXAMPLE_SCHEMES: &str = include_str!("../../../../data/schemes/examples.toml");

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
            id: SchemeId::new(i as i64 + 1),
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
    /// Calls for cost coverage: the courses they pay for count as free in the check.
    calls: Arc<dyn leerpad_domain::calls::ports::CallStore>,
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
        AppError::InvalidFields(vec![FieldError::new(field, e.message().to_owned())])
    })
}

/// A definition as TOML, for editing.
pub fn definition_to_toml(def: &SchemeDefinition) -> String {
    toml::to_string_pretty(def).unwrap_or_default()
}

mod answers;
mod check;
mod deposits;

pub use deposits::DepositOutcome;
mod schemes;

impl Financing {
    pub fn new(
        schemes: Arc<dyn FinancingStore>,
        calls: Arc<dyn leerpad_domain::calls::ports::CallStore>,
        offers: Arc<dyn CatalogueStore>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Financing {
            schemes,
            calls,
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

    /// Whether someone living in one of `homes` can use a scheme as far as where they live
    /// goes: `None` when it is open everywhere, otherwise whether one of them lies where it is
    /// limited to.
    pub fn open_in(
        &self,
        scheme: &Scheme,
        homes: &[&leerpad_domain::regions::Municipality],
    ) -> Option<bool> {
        let (mut limited, mut inside) = (false, false);
        for leaf in scheme.definition.eligibility.leaves() {
            let any_home = |of: &dyn Fn(&leerpad_domain::regions::Municipality) -> bool| {
                homes.iter().any(|m| of(m))
            };
            match leaf {
                Condition::Province(v) => {
                    limited = true;
                    inside |= any_home(&|m| v.iter().any(|p| p.eq_ignore_ascii_case(&m.province)));
                }
                Condition::Region(v) => {
                    limited = true;
                    inside |= any_home(&|m| v.iter().any(|r| r.eq_ignore_ascii_case(&m.region)));
                }
                Condition::Municipality(v) => {
                    limited = true;
                    inside |= any_home(&|m| {
                        v.iter().any(|x| {
                            x.eq_ignore_ascii_case(&m.code) || x.eq_ignore_ascii_case(&m.name)
                        })
                    });
                }
                _ => {}
            }
        }
        limited.then_some(inside)
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
}

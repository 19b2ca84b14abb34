//! Employers (`leerpad_domain::employers`, the rules): the company profile an employer keeps,
//! and staff exchange — placements a company offers or asks for, matched with other companies'
//! in the same labour-market region on the skills they name.

use crate::error::{AppError, AppResult};
use crate::taxonomy::TaxonomyService;
use leerpad_domain::clock::Clock;
use leerpad_domain::employers::ports::{EmployerStore, StoredExchange};
use leerpad_domain::employers::{
    Company, CompanyInput, ExchangeInput, fit, validate_company, validate_exchange,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::Regions;
use std::sync::Arc;

mod examples;

/// Another company's exchange that fits one of ours.
#[derive(Debug, Clone)]
pub struct ExchangeMatch {
    /// Our exchange's id.
    pub ours: i64,
    pub theirs: StoredExchange,
    /// The share of the ask's skills the offer names, in percent.
    pub fit: u32,
}

/// The employer use cases.
pub struct Employers {
    store: Arc<dyn EmployerStore>,
    taxonomy: Arc<TaxonomyService>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
}

impl Employers {
    pub fn new(
        store: Arc<dyn EmployerStore>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Employers {
        Employers {
            store,
            taxonomy,
            regions,
            clock,
        }
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    /// Register or update the employer's company.
    pub async fn save_company(
        &self,
        principal: &Principal,
        input: &CompanyInput,
    ) -> AppResult<i64> {
        principal.authorize(Action::ManageOwnCompany)?;
        let company = validate_company(input, &self.regions).map_err(AppError::InvalidFields)?;
        Ok(self
            .store
            .save_company(principal.user_id, &company, self.clock.now())
            .await?)
    }

    /// The employer's company, if registered.
    pub async fn company(&self, principal: &Principal) -> AppResult<Option<(i64, Company)>> {
        principal.authorize(Action::ManageOwnCompany)?;
        Ok(self.store.company_of(principal.user_id).await?)
    }

    /// An ESCO skill by URI, key or (Dutch or English) label.
    fn skill_uri(&self, text: &str) -> Option<String> {
        let tax = &self.taxonomy.taxonomy;
        if let Some(s) = tax.skill_id(text).and_then(|id| tax.skill(id)) {
            return Some(s.uri.clone());
        }
        ["nl", "en"].iter().find_map(|lang| {
            self.taxonomy
                .mention_skills(text, lang, 1)
                .first()
                .and_then(|m| tax.skill(m.skill))
                .map(|s| s.uri.clone())
        })
    }

    /// Post a placement the company offers or asks for.
    pub async fn post_exchange(
        &self,
        principal: &Principal,
        input: &ExchangeInput,
    ) -> AppResult<i64> {
        let (company_id, _) = self
            .company(principal)
            .await?
            .ok_or_else(|| AppError::Conflict("register your company first".into()))?;
        let exchange = validate_exchange(input, &self.regions, &|s| self.skill_uri(s))
            .map_err(AppError::InvalidFields)?;
        Ok(self
            .store
            .add_exchange(company_id, &exchange, self.clock.now())
            .await?)
    }

    /// The company's own exchanges, and the other companies' that fit them, best first.
    pub async fn exchanges(
        &self,
        principal: &Principal,
    ) -> AppResult<(Vec<StoredExchange>, Vec<ExchangeMatch>)> {
        let Some((company_id, _)) = self.company(principal).await? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let all = self.store.exchanges().await?;
        let (mine, others): (Vec<StoredExchange>, Vec<StoredExchange>) =
            all.into_iter().partition(|e| e.company_id == company_id);
        let mut matches = Vec::new();
        for ours in &mine {
            for theirs in &others {
                if let Some(f) = fit(&ours.exchange, &theirs.exchange, &self.regions) {
                    matches.push(ExchangeMatch {
                        ours: ours.id,
                        theirs: theirs.clone(),
                        fit: f,
                    });
                }
            }
        }
        matches.sort_by(|a, b| b.fit.cmp(&a.fit).then(b.theirs.id.cmp(&a.theirs.id)));
        Ok((mine, matches))
    }
}

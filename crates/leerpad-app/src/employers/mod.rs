//! Employers (`leerpad_domain::employers`, the rules): the company profile an employer keeps,
//! and staff exchange — placements a company offers or asks for, matched with other companies'
//! in the same labour-market region on the skills they name.

use crate::error::{AppError, AppResult};
use crate::taxonomy::TaxonomyService;
use leerpad_domain::clock::Clock;
use leerpad_domain::employers::ports::{AgreeingSide, EmployerStore, StoredExchange};
use leerpad_domain::employers::{
    Company, CompanyInput, ExchangeInput, ExchangeKind, Proposal, fit, validate_company,
    validate_exchange,
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

/// A proposal with the two exchanges it joins.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub ask: StoredExchange,
    pub offer: StoredExchange,
}

/// The employer use cases.
pub struct Employers {
    store: Arc<dyn EmployerStore>,
    users: Arc<dyn leerpad_domain::accounts::ports::UserStore>,
    outbox: Arc<dyn leerpad_domain::mail::ports::OutboxStore>,
    taxonomy: Arc<TaxonomyService>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
}

impl Employers {
    pub fn new(
        store: Arc<dyn EmployerStore>,
        users: Arc<dyn leerpad_domain::accounts::ports::UserStore>,
        outbox: Arc<dyn leerpad_domain::mail::ports::OutboxStore>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Employers {
        Employers {
            store,
            users,
            outbox,
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

    async fn view(&self, p: Proposal) -> AppResult<Option<ProposalView>> {
        let (Some(ask), Some(offer)) = (
            self.store.exchange(p.ask).await?,
            self.store.exchange(p.offer).await?,
        ) else {
            return Ok(None);
        };
        Ok(Some(ProposalView {
            proposal: p,
            ask,
            offer,
        }))
    }

    /// Propose an exchange between one of our exchanges and another company's that fits it; our
    /// side agrees by proposing.
    pub async fn propose(&self, principal: &Principal, ours: i64, theirs: i64) -> AppResult<i64> {
        let (company_id, _) = self
            .company(principal)
            .await?
            .ok_or_else(|| AppError::Conflict("register your company first".into()))?;
        let (Some(a), Some(b)) = (
            self.store.exchange(ours).await?,
            self.store.exchange(theirs).await?,
        ) else {
            return Err(AppError::NotFound("exchange"));
        };
        if a.company_id != company_id || b.company_id == company_id {
            return Err(AppError::NotFound("exchange"));
        }
        if fit(&a.exchange, &b.exchange, &self.regions).is_none() {
            return Err(AppError::Conflict("these exchanges do not fit".into()));
        }
        let by_asker = a.exchange.kind == ExchangeKind::Ask;
        let (ask, offer) = if by_asker { (a.id, b.id) } else { (b.id, a.id) };
        Ok(self
            .store
            .propose(ask, offer, by_asker, self.clock.now())
            .await?)
    }

    /// The proposals the company takes part in.
    pub async fn proposals(&self, principal: &Principal) -> AppResult<Vec<ProposalView>> {
        let Some((company_id, _)) = self.company(principal).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for p in self.store.proposals_of_company(company_id).await? {
            out.extend(self.view(p).await?);
        }
        Ok(out)
    }

    /// A company agrees to a proposal: the asking company as it is, the offering company naming
    /// the employee, who is asked next.
    pub async fn agree(
        &self,
        principal: &Principal,
        id: i64,
        employee_email: &str,
    ) -> AppResult<()> {
        let (company_id, _) = self
            .company(principal)
            .await?
            .ok_or_else(|| AppError::Conflict("register your company first".into()))?;
        let p = self
            .store
            .proposal(id)
            .await?
            .ok_or(AppError::NotFound("proposal"))?;
        let v = self.view(p).await?.ok_or(AppError::NotFound("proposal"))?;
        let side = if v.ask.company_id == company_id {
            AgreeingSide::Asker
        } else if v.offer.company_id == company_id {
            let email = leerpad_domain::accounts::Email::parse(employee_email)?;
            let email = email.as_str().to_owned();
            self.agree_as(
                id,
                AgreeingSide::Offerer {
                    employee_email: &email,
                },
            )
            .await?;
            // The employee hears of it, when they have an account.
            if let Some(user) = self.users.user_by_email(&email).await? {
                let message = leerpad_domain::mail::Message::PlacementProposed {
                    employer: v.offer.company.clone(),
                    work: format!("{} ({})", v.ask.exchange.title, v.ask.company),
                };
                self.outbox
                    .enqueue_message(leerpad_domain::mail::ports::NewMessage {
                        key: &format!("placement-proposed:{id}:{email}"),
                        user_id: user.id,
                        to: &user.email,
                        lang: &user.locale,
                        message: &message,
                        at: self.clock.now(),
                    })
                    .await?;
            }
            return Ok(());
        } else {
            return Err(AppError::NotFound("proposal"));
        };
        self.agree_as(id, side).await
    }

    async fn agree_as(&self, id: i64, side: AgreeingSide<'_>) -> AppResult<()> {
        if self.store.agree(id, side, self.clock.now()).await? {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "this proposal cannot take that step now".into(),
            ))
        }
    }

    /// The proposals that name the signed-in person as the employee.
    pub async fn my_placements(&self, principal: &Principal) -> AppResult<Vec<ProposalView>> {
        principal.authorize(Action::ManageOwnAccount)?;
        let mut out = Vec::new();
        for p in self.store.proposals_of_employee(&principal.email).await? {
            out.extend(self.view(p).await?);
        }
        Ok(out)
    }

    /// The employee agrees to the placement both companies agreed on.
    pub async fn consent(&self, principal: &Principal, id: i64) -> AppResult<()> {
        principal.authorize(Action::ManageOwnAccount)?;
        let email = principal.email.to_lowercase();
        self.agree_as(id, AgreeingSide::Employee { email: &email })
            .await
    }
}

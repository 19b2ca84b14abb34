//! Yearly deposits: a scheme with a yearly amount puts it on the learning account of everyone
//! its rules let in (judged on the situation the person saved), once a calendar year, from the
//! scheme's budget. It happens when the person opens their learning account or saves their
//! situation, and for everyone in the yearly job.

use super::*;
use leerpad_domain::financing::EligibilityVerdict;
use leerpad_domain::financing::ports::NewDeposit;
use leerpad_domain::ledger::Transfer;
use leerpad_domain::shared::UserId;

/// People per page of the yearly job.
const SWEEP_PAGE: u32 = 500;

/// A deposit the person may get, or why not yet.
#[derive(Debug, Clone)]
pub struct DepositOutcome {
    pub scheme: Scheme,
    /// Put on the account this year (now or earlier).
    pub deposited: Option<Transfer>,
    /// The scheme's verdict for the person.
    pub verdict: EligibilityVerdict,
    /// The budget could not pay it (in words, for the log).
    pub refused: Option<String>,
}

impl Financing {
    /// Make this year's deposits of every scheme that has one and lets the person in; returns
    /// every such scheme with what came of it (so the account page can say why none came).
    pub async fn yearly_deposits_for(&self, user: UserId) -> AppResult<Vec<DepositOutcome>> {
        let book = self.book().await?;
        self.deposits_with(&book, user).await
    }

    async fn deposits_with(
        &self,
        book: &SchemeBook,
        user: UserId,
    ) -> AppResult<Vec<DepositOutcome>> {
        if !book
            .entries()
            .iter()
            .any(|e| e.scheme.definition.yearly_deposit.is_some())
        {
            return Ok(Vec::new());
        }
        let mut facts = self.schemes.situation(user).await?.unwrap_or_default();
        facts.prior_awards = self.schemes.awards_of_user(user).await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, &facts);
        let verdicts = book.check_person(&ctx, &prepared);
        let year = ctx.today.year();
        let mut out = Vec::new();
        for entry in book.entries() {
            let Some(deposit) = &entry.scheme.definition.yearly_deposit else {
                continue;
            };
            let Some(verdict) = verdicts.iter().find(|v| v.scheme == entry.scheme.slug) else {
                continue;
            };
            let mut outcome = DepositOutcome {
                scheme: entry.scheme.clone(),
                deposited: None,
                verdict: verdict.verdict.clone(),
                refused: None,
            };
            if verdict.verdict == EligibilityVerdict::Eligible {
                match self
                    .schemes
                    .deposit_yearly(&NewDeposit {
                        scheme_id: entry.scheme.id,
                        slug: &entry.scheme.slug,
                        name: entry.scheme.definition.name.get("nl"),
                        budget_total_cents: entry.scheme.definition.budget.total_cents,
                        deposit,
                        user_id: user,
                        year,
                        at: self.clock.now(),
                    })
                    .await?
                {
                    Ok(t) => outcome.deposited = t,
                    Err(refusal) => {
                        tracing::warn!(scheme = %entry.scheme.slug, %refusal, "yearly deposit refused");
                        outcome.refused = Some(refusal);
                    }
                }
            }
            out.push(outcome);
        }
        Ok(out)
    }

    /// The person's own deposits (for their learning account page).
    pub async fn my_yearly_deposits(
        &self,
        principal: &Principal,
    ) -> AppResult<Vec<DepositOutcome>> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.yearly_deposits_for(principal.user_id).await
    }

    /// The yearly job: this year's deposits for everyone who saved their situation (each once,
    /// whichever server runs it, however often). Returns how many deposits exist for them.
    pub async fn yearly_deposits_sweep(&self) -> AppResult<usize> {
        let book = self.book().await?;
        if !book
            .entries()
            .iter()
            .any(|e| e.scheme.definition.yearly_deposit.is_some())
        {
            return Ok(0);
        }
        let mut after = UserId::new(0);
        let mut made = 0;
        loop {
            let page = self.schemes.users_with_situation(after, SWEEP_PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(made);
            };
            after = *last;
            for user in page {
                made += self
                    .deposits_with(&book, user)
                    .await?
                    .iter()
                    .filter(|o| o.deposited.is_some())
                    .count();
            }
        }
    }
}

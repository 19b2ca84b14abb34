//! Paying providers: a run on each payout day moves what every provider is owed through the
//! platform's clearing account to the provider's bank (`leerpad_domain::ledger::payout`).

use super::Ledger;
use crate::error::AppResult;
use leerpad_domain::ledger::payout::{CLEARING_KEY, PROVIDER_BANKS_KEY, payout_keys};
use leerpad_domain::ledger::{AccountKind, Command, LedgerError};
use leerpad_domain::shared::{Date, Money};

/// What a payout run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayoutRun {
    /// Providers paid in this run.
    pub providers: usize,
    pub total: Money,
}

impl Ledger {
    /// The payout run of `day`: every provider's account with money on it is paid out, once
    /// per run (the keys name the provider and the day; a second run of the same day, on
    /// another server or after a restart, finds the first one's transfers). Money that
    /// becomes owed after a provider's payout of the day waits for the next run.
    pub async fn pay_providers(&self, day: Date) -> AppResult<PayoutRun> {
        let now = self.clock.now();
        let clearing = self
            .store
            .open_account(
                AccountKind::Clearing,
                CLEARING_KEY,
                "Uitbetalingen onderweg",
                now,
            )
            .await?;
        let banks = self
            .store
            .open_account(
                AccountKind::Funding,
                PROVIDER_BANKS_KEY,
                "Bankrekeningen van aanbieders",
                now,
            )
            .await?;
        let mut run = PayoutRun::default();
        for provider in self.store.budget_accounts().await? {
            if provider.kind != AccountKind::Provider {
                continue;
            }
            let (to_clearing, to_bank) = payout_keys(&provider.key, day);
            let amount = match self.store.transfer_by_key(&to_clearing).await? {
                Some(first) => first.amount,
                None => {
                    let owed = provider.balance.available();
                    if owed.cents() <= 0 {
                        continue;
                    }
                    let command = Command::Transfer {
                        from: provider.id,
                        to: clearing.id,
                        amount: owed,
                        memo: format!("Uitbetaling van {day}"),
                    };
                    match self.store.execute(&to_clearing, &command, now).await? {
                        Ok(t) => t.amount,
                        // Paid by another server a moment ago: its amount.
                        Err(LedgerError::KeyReused(_)) => {
                            match self.store.transfer_by_key(&to_clearing).await? {
                                Some(first) => first.amount,
                                None => continue,
                            }
                        }
                        Err(e) => {
                            tracing::warn!(provider = %provider.key, error = %e, "payout refused");
                            continue;
                        }
                    }
                }
            };
            let command = Command::Transfer {
                from: clearing.id,
                to: banks.id,
                amount,
                memo: format!("Overgemaakt naar {}", provider.name),
            };
            if let Err(e) = self.store.execute(&to_bank, &command, now).await? {
                tracing::warn!(provider = %provider.key, error = %e, "bank transfer refused");
                continue;
            }
            run.providers += 1;
            run.total += amount;
        }
        Ok(run)
    }
}

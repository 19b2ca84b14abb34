//! The ledger's rules applied in memory: the reference for the storage adapters and the
//! subject of the property tests.

use super::{
    Account, AccountKind, Balance, Command, HoldState, LedgerError, Transfer, TransferKind,
    apply_effect, effects,
};
use crate::UnixTime;
use crate::shared::{AccountId, TransferId};
use std::collections::{BTreeMap, HashMap};

/// Accounts and transfers in memory.
#[derive(Debug, Default, Clone)]
pub struct Book {
    accounts: BTreeMap<AccountId, Account>,
    transfers: Vec<Transfer>,
    /// Idempotency key → (fingerprint, first result).
    keys: HashMap<String, (String, Result<TransferId, LedgerError>)>,
}

impl Book {
    /// Open an account (or find the one with this key).
    pub fn open(&mut self, kind: AccountKind, key: &str, name: &str) -> AccountId {
        if let Some(a) = self.accounts.values().find(|a| a.key == key) {
            return a.id;
        }
        let id = AccountId::new(self.accounts.len() as i64 + 1);
        self.accounts.insert(
            id,
            Account {
                id,
                kind,
                key: key.to_owned(),
                name: name.to_owned(),
                balance: Balance::default(),
            },
        );
        id
    }

    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.get(&id)
    }

    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    fn transfer(&self, id: TransferId) -> Option<&Transfer> {
        usize::try_from(id.get() - 1)
            .ok()
            .and_then(|i| self.transfers.get(i))
    }

    /// Carry out a command under its idempotency key at `at`. A refused command moves nothing;
    /// its refusal is the key's answer from then on.
    pub fn execute(
        &mut self,
        key: &str,
        command: &Command,
        at: UnixTime,
    ) -> Result<Transfer, LedgerError> {
        let fingerprint = command.fingerprint();
        if let Some((known, first)) = self.keys.get(key) {
            if *known != fingerprint {
                return Err(LedgerError::KeyReused(key.to_owned()));
            }
            return match first {
                Ok(id) => self
                    .transfer(*id)
                    .cloned()
                    .ok_or(LedgerError::UnknownHold(*id)),
                Err(e) => Err(e.clone()),
            };
        }
        let result = self.attempt(key, command, at);
        self.keys.insert(
            key.to_owned(),
            (
                fingerprint,
                result.as_ref().map(|t| t.id).map_err(Clone::clone),
            ),
        );
        result
    }

    fn attempt(
        &mut self,
        key: &str,
        command: &Command,
        at: UnixTime,
    ) -> Result<Transfer, LedgerError> {
        let moves = effects(command, at, &|id| self.accounts.get(&id).cloned(), &|id| {
            self.transfer(id).cloned()
        })?;
        let mut changed = Vec::with_capacity(moves.len());
        for m in &moves {
            let a = self
                .accounts
                .get(&m.0)
                .ok_or(LedgerError::UnknownAccount(m.0))?;
            changed.push((m.0, apply_effect(a.balance, *m)?));
        }
        let hold = command
            .settles()
            .and_then(|(id, _)| self.transfer(id).cloned());
        let id = TransferId::new(self.transfers.len() as i64 + 1);
        let t = command
            .transfer(id, key, hold.as_ref(), at)
            .ok_or(LedgerError::UnknownHold(id))?;
        for (id, b) in changed {
            if let Some(a) = self.accounts.get_mut(&id) {
                a.balance = b;
            }
        }
        if let Some((hold, state)) = command.settles()
            && let Some(h) = usize::try_from(hold.get() - 1)
                .ok()
                .and_then(|i| self.transfers.get_mut(i))
        {
            h.state = Some(state);
        }
        self.transfers.push(t.clone());
        Ok(t)
    }

    /// Release every pending hold whose deadline is at or before `now`.
    pub fn expire(&mut self, now: UnixTime) -> Vec<Transfer> {
        let due: Vec<TransferId> = self
            .transfers
            .iter()
            .filter(|t| {
                t.kind == TransferKind::Hold
                    && t.state == Some(HoldState::Pending)
                    && t.expires_at.is_some_and(|e| e <= now)
            })
            .map(|t| t.id)
            .collect();
        due.into_iter()
            .filter_map(|hold| {
                self.execute(&format!("expire:{hold}"), &Command::Expire { hold }, now)
                    .ok()
            })
            .collect()
    }
}

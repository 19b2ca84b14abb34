//! The example learning accounts `serve --demo` starts with (`data/ledger/examples.toml`):
//! deposits, holds, a payment, a refund and a released enrolment, written through the same
//! ledger as real use and dated in the past. Written once: each step's key is fixed, so a
//! second start changes nothing.

use super::{Ledger, learner_key};
use crate::error::{AppError, AppResult};
use leerpad_domain::ledger::{AccountKind, Command};
use leerpad_domain::shared::{AccountId, Money, TransferId};
use serde::Deserialize;
use std::collections::HashMap;

/// The example ledger.
pub const EXAMPLE_LEDGER: &str = include_str!("../../../../data/ledger/examples.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    account: Vec<ExampleAccount>,
    step: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleAccount {
    key: String,
    kind: AccountKind,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    op: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    amount: Option<String>,
    #[serde(default)]
    hold: Option<String>,
    memo: String,
    days_ago: i64,
    #[serde(default)]
    expires_in_days: Option<i64>,
    /// A name for a hold, for the steps that settle it.
    #[serde(default)]
    name: Option<String>,
}

fn bad(what: String) -> AppError {
    AppError::Internal(format!("data/ledger/examples.toml: {what}"))
}

impl Ledger {
    /// An example account by its key, or an example learner's account by e-mail address.
    async fn example_account(
        &self,
        ids: &mut HashMap<String, AccountId>,
        name: Option<&str>,
        now: i64,
    ) -> AppResult<AccountId> {
        let name = name.ok_or_else(|| bad("a step names no account".into()))?;
        if let Some(id) = ids.get(name) {
            return Ok(*id);
        }
        let user = self
            .users
            .user_by_email(name)
            .await?
            .ok_or_else(|| bad(format!("no account '{name}'")))?;
        let opened = self
            .store
            .open_account(
                AccountKind::Learner,
                &learner_key(user.id),
                &user.display_name,
                now,
            )
            .await?;
        ids.insert(name.to_owned(), opened.id);
        Ok(opened.id)
    }

    /// Write the example ledger (the example learners must exist); returns how many steps
    /// were written, 0 when the examples are there already.
    pub async fn seed_examples(&self) -> AppResult<usize> {
        let file: ExampleFile = toml::from_str(EXAMPLE_LEDGER).map_err(|e| bad(e.to_string()))?;
        let now = self.clock.now();
        let mut ids: HashMap<String, AccountId> = HashMap::new();
        let mut fresh = true;
        for a in &file.account {
            let opened = self
                .store
                .open_account(a.kind, &a.key, &a.name, now)
                .await?;
            fresh &= opened.balance.posted == Money::ZERO;
            ids.insert(a.key.clone(), opened.id);
        }
        if !fresh {
            return Ok(0);
        }
        let mut holds: HashMap<&str, TransferId> = HashMap::new();
        for (i, step) in file.step.iter().enumerate() {
            let at = now - step.days_ago * 86_400;
            let memo = step.memo.clone();
            let amount = match step.amount.as_deref() {
                None => None,
                Some(a) => Some(
                    Money::parse_euros(a)
                        .ok_or_else(|| bad(format!("step {}: amount '{a}'", i + 1)))?,
                ),
            };
            let need_amount = || amount.ok_or_else(|| bad(format!("step {}: no amount", i + 1)));
            let hold = step.hold.as_deref().and_then(|h| holds.get(h).copied());
            let need_hold = || hold.ok_or_else(|| bad(format!("step {}: unknown hold", i + 1)));
            let command = match step.op.as_str() {
                "transfer" | "hold" => {
                    let from = self
                        .example_account(&mut ids, step.from.as_deref(), now)
                        .await?;
                    let to = self
                        .example_account(&mut ids, step.to.as_deref(), now)
                        .await?;
                    if step.op == "transfer" {
                        Command::Transfer {
                            from,
                            to,
                            amount: need_amount()?,
                            memo,
                        }
                    } else {
                        Command::Hold {
                            from,
                            to,
                            amount: need_amount()?,
                            expires_at: at + step.expires_in_days.unwrap_or(30) * 86_400,
                            memo,
                        }
                    }
                }
                "post" => Command::Post {
                    hold: need_hold()?,
                    amount: need_amount()?,
                    memo,
                },
                "void" => Command::Void {
                    hold: need_hold()?,
                    memo,
                },
                other => return Err(bad(format!("step {}: no operation '{other}'", i + 1))),
            };
            let t = self
                .store
                .execute(&format!("example:{}", i + 1), &command, at)
                .await?
                .map_err(|e| bad(format!("step {}: {e}", i + 1)))?;
            if let Some(name) = &step.name {
                holds.insert(name, t.id);
            }
        }
        Ok(file.step.len())
    }
}

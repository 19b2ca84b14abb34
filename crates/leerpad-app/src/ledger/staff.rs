//! Employer deposits for named staff: an employer puts money on the learning accounts of the
//! people it names, from its deposit account, in one transaction (all lines or none).

use super::{Ledger, learner_key};
use crate::error::{AppError, AppResult};
use leerpad_domain::ledger::{AccountKind, Command, Transfer, learner_account_name};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::{FieldError, Money};

/// One person the employer pays for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLine {
    /// The e-mail address of the person's Leerpad account.
    pub email: String,
    pub amount: Money,
}

/// An employer's deposit for its staff.
#[derive(Debug, Clone)]
pub struct StaffDeposit {
    /// The employer's name; its deposit account is `employer:{slug of the name}`.
    pub employer: String,
    /// Whether the total arrives from the employer's bank now (else the deposit account
    /// must hold it already).
    pub from_bank: bool,
    /// What it is for, shown on every statement ("Opleidingsbudget 2027").
    pub memo: String,
    pub lines: Vec<StaffLine>,
}

/// The most people in one deposit.
pub const MAX_STAFF_LINES: usize = 1_000;

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

impl Ledger {
    /// Put money on the named people's learning accounts from the employer's deposit account
    /// (after taking it in from the employer's bank when `from_bank`). Every line is checked
    /// first (a person must have an account; amounts above zero); then all transfers are
    /// written in one transaction, or none when the deposit account cannot pay them all. The
    /// key makes a retry safe: the same key again gives the first transfers.
    pub async fn deposit_for_staff(
        &self,
        principal: &Principal,
        key: &str,
        deposit: &StaffDeposit,
    ) -> AppResult<Vec<Transfer>> {
        principal.authorize(Action::ManageProgrammes)?;
        self.write_staff_deposit(principal, key, deposit).await
    }

    /// An employer puts money from its bank on its own staff's learning accounts: the deposit
    /// account is its company's, named by `company` — the name of the company the employer's
    /// account keeps, which the caller looked up for this principal (never typed by the
    /// person). The same rules and the one transaction of [`Ledger::deposit_for_staff`].
    pub async fn deposit_for_company_staff(
        &self,
        principal: &Principal,
        company: &str,
        key: &str,
        memo: &str,
        lines: Vec<StaffLine>,
    ) -> AppResult<Vec<Transfer>> {
        principal.authorize(Action::ManageOwnCompany)?;
        let deposit = StaffDeposit {
            employer: company.to_owned(),
            from_bank: true,
            memo: memo.to_owned(),
            lines,
        };
        self.write_staff_deposit(principal, key, &deposit).await
    }

    async fn write_staff_deposit(
        &self,
        principal: &Principal,
        key: &str,
        deposit: &StaffDeposit,
    ) -> AppResult<Vec<Transfer>> {
        let mut errors = Vec::new();
        let key = key.trim();
        if key.is_empty() || key.len() > 200 {
            errors.push(
                FieldError::new(
                    "idempotency_key",
                    "a key of 1 to 200 characters is required",
                )
                .coded("idempotency-key", vec![]),
            );
        }
        let employer_slug = slug(&deposit.employer);
        if employer_slug.is_empty() || deposit.employer.len() > 200 {
            errors.push(
                FieldError::new("employer", "name the employer (at most 200 characters)")
                    .coded("ledger-staff-error-employer", vec![]),
            );
        }
        let memo = deposit.memo.trim();
        if memo.is_empty() || memo.len() > 200 {
            errors.push(
                FieldError::new("memo", "say what the money is for (at most 200 characters)")
                    .coded("ledger-staff-error-memo", vec![]),
            );
        }
        if deposit.lines.is_empty() || deposit.lines.len() > MAX_STAFF_LINES {
            errors.push(
                FieldError::new("staff", format!("name 1 to {MAX_STAFF_LINES} people")).coded(
                    "ledger-staff-error-count",
                    vec![("max", MAX_STAFF_LINES.to_string())],
                ),
            );
        }
        let now = self.clock.now();
        let mut people = Vec::with_capacity(deposit.lines.len());
        let mut total = Money::ZERO;
        for (i, line) in deposit.lines.iter().enumerate() {
            let field = format!("staff[{}]", i + 1);
            let line_no = (i + 1).to_string();
            if line.amount.cents() <= 0 {
                errors.push(
                    FieldError::new(&field, "the amount must be more than zero")
                        .coded("ledger-staff-error-amount", vec![("line", line_no.clone())]),
                );
            }
            total = total.checked_add(line.amount).unwrap_or(total);
            match self.users.user_by_email(line.email.trim()).await? {
                Some(user) => people.push((user.id, line.amount)),
                None => errors.push(
                    FieldError::new(
                        &field,
                        format!("no Leerpad account has the e-mail address '{}'", line.email),
                    )
                    .coded(
                        "ledger-staff-error-unknown",
                        vec![("line", line_no), ("email", line.email.clone())],
                    ),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let employer = self
            .store
            .open_account(
                AccountKind::Employer,
                &format!("employer:{employer_slug}"),
                &format!("{}, opleidingsbudget", deposit.employer.trim()),
                now,
            )
            .await?;
        let scoped = format!("u{}:staff:{key}", principal.user_id);
        let mut commands = Vec::with_capacity(people.len() + 1);
        if deposit.from_bank {
            let bank = self
                .store
                .open_account(
                    AccountKind::Funding,
                    &format!("funding:{employer_slug}-bank"),
                    &format!("Bankrekening {}", deposit.employer.trim()),
                    now,
                )
                .await?;
            commands.push((
                format!("{scoped}:in"),
                Command::Transfer {
                    from: bank.id,
                    to: employer.id,
                    amount: total,
                    memo: memo.to_owned(),
                },
            ));
        }
        for (i, (user, amount)) in people.iter().enumerate() {
            let to = self
                .store
                .open_account(
                    AccountKind::Learner,
                    &learner_key(*user),
                    &learner_account_name(*user),
                    now,
                )
                .await?;
            commands.push((
                format!("{scoped}:{}", i + 1),
                Command::Transfer {
                    from: employer.id,
                    to: to.id,
                    amount: *amount,
                    memo: format!("{} ({})", memo, deposit.employer.trim()),
                },
            ));
        }
        match self.store.execute_all(&commands, now).await? {
            Ok(transfers) => Ok(transfers),
            Err((_, refusal)) => Err(AppError::Ledger(refusal)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn employer_names_become_account_keys() {
        assert_eq!(super::slug("  Zorggroep Zuid B.V. "), "zorggroep-zuid-b-v");
        assert_eq!(super::slug("!!"), "");
    }
}

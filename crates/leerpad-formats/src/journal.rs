//! The ledger as a plain-text double-entry journal in beancount's format, for auditors: an
//! independent tool (`bean-check`) can read it, check that every transaction balances, and
//! check the closing balances Leerpad states.
//!
//! Each ledger account becomes two beancount accounts: what can be spent
//! (`Assets:Learner:A12`) and what is held for payments not yet made (`Assets:Held:A12`); a
//! hold moves money between them, a post pays from the held part and returns the rest, a void
//! or an expiry returns it all. Funding accounts are `Equity:Funding:A1` (money that came in
//! from outside shows as a negative balance there). The closing `balance` lines are Leerpad's
//! own figures, so `bean-check` fails when the transactions do not add up to them.

use leerpad_domain::ledger::{Account, AccountKind, Transfer, TransferKind};
use leerpad_domain::shared::{AccountId, Date, Money, iso_date_option};
use std::collections::HashMap;
use std::fmt::Write;

/// The beancount name of an account's spendable part.
fn name(a: &Account) -> String {
    let kind = match a.kind {
        AccountKind::Learner => "Assets:Learner",
        AccountKind::Scheme => "Assets:Scheme",
        AccountKind::Employer => "Assets:Employer",
        AccountKind::Provider => "Assets:Provider",
        AccountKind::Clearing => "Assets:Clearing",
        AccountKind::Funding => "Equity:Funding",
    };
    format!("{kind}:A{}", a.id)
}

fn held(id: AccountId) -> String {
    format!("Assets:Held:A{id}")
}

fn amount(m: Money) -> String {
    format!("{} EUR", m.decimal())
}

fn negative(m: Money) -> Money {
    Money::from_cents(-m.cents())
}

/// A string as beancount quotes it.
fn quoted(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("\"{}\"", clean.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The journal: accounts opened on `opened`, every transfer on its day (`day` gives the Dutch
/// calendar day of a moment), and each account's balances asserted on `closing` (the day after
/// the last transfer or later).
pub fn beancount(
    accounts: &[Account],
    transfers: &[Transfer],
    day: &dyn Fn(i64) -> Option<Date>,
    opened: Date,
    closing: Date,
) -> String {
    let mut out = String::new();
    let names: HashMap<AccountId, String> = accounts.iter().map(|a| (a.id, name(a))).collect();
    let _ = writeln!(
        out,
        "; Leerpad ledger export (beancount). Amounts in euros."
    );
    let _ = writeln!(out, "option \"title\" \"Leerpad leerrekeningen\"");
    let _ = writeln!(out, "option \"operating_currency\" \"EUR\"\n");
    let opened_text = iso_date_option::format(opened);
    for a in accounts {
        let _ = writeln!(out, "{opened_text} open {} EUR", names[&a.id]);
        let _ = writeln!(out, "  name: {}", quoted(&a.name));
        let _ = writeln!(out, "  leerpad-key: {}", quoted(&a.key));
        let _ = writeln!(out, "{opened_text} open {} EUR", held(a.id));
    }
    out.push('\n');
    let holds: HashMap<_, _> = transfers
        .iter()
        .filter(|t| t.kind == TransferKind::Hold)
        .map(|t| (t.id, t))
        .collect();
    for t in transfers {
        let (Some(from), Some(to)) = (names.get(&t.from), names.get(&t.to)) else {
            continue;
        };
        // A moment without a calendar day cannot happen for stored transfers; the opening day
        // keeps the file valid if it ever does.
        let date = iso_date_option::format(day(t.at).unwrap_or(opened));
        let what = match t.kind {
            TransferKind::Transfer => "overboeking",
            TransferKind::Hold => "gereserveerd",
            TransferKind::Post => "betaald uit reservering",
            TransferKind::Void => "reservering vrijgegeven",
            TransferKind::Expire => "reservering verlopen",
        };
        let _ = writeln!(out, "{date} * {} {}", quoted(what), quoted(&t.memo));
        let _ = writeln!(out, "  leerpad-transfer: \"{}\"", t.id);
        let _ = writeln!(out, "  leerpad-key: {}", quoted(&t.key));
        let held_from = held(t.from);
        match t.kind {
            TransferKind::Transfer => {
                let _ = writeln!(out, "  {from}  {}", amount(negative(t.amount)));
                let _ = writeln!(out, "  {to}  {}", amount(t.amount));
            }
            TransferKind::Hold => {
                let _ = writeln!(out, "  {from}  {}", amount(negative(t.amount)));
                let _ = writeln!(out, "  {held_from}  {}", amount(t.amount));
            }
            TransferKind::Post => {
                let was = t
                    .hold
                    .and_then(|h| holds.get(&h))
                    .map_or(t.amount, |h| h.amount);
                let rest = Money::from_cents(was.cents() - t.amount.cents());
                let _ = writeln!(out, "  {held_from}  {}", amount(negative(was)));
                let _ = writeln!(out, "  {to}  {}", amount(t.amount));
                if rest.cents() != 0 {
                    let _ = writeln!(out, "  {from}  {}", amount(rest));
                }
            }
            TransferKind::Void | TransferKind::Expire => {
                let _ = writeln!(out, "  {held_from}  {}", amount(negative(t.amount)));
                let _ = writeln!(out, "  {from}  {}", amount(t.amount));
            }
        }
        out.push('\n');
    }
    let closing_text = iso_date_option::format(closing);
    for a in accounts {
        let b = a.balance;
        let _ = writeln!(
            out,
            "{closing_text} balance {}  {}",
            names[&a.id],
            amount(b.available())
        );
        let _ = writeln!(
            out,
            "{closing_text} balance {}  {}",
            held(a.id),
            amount(b.held)
        );
    }
    out
}

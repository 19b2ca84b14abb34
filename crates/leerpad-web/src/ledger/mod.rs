//! "Mijn leerrekening" (`/leerrekening`): the balance, what is held, and every transfer with who
//! paid what; the statement as a printable page and as CSV. The budgets for programme managers
//! (`/beheer/leerrekeningen`); the API in [`api`].

pub(crate) mod api;

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leerpad_app::error::AppError;
use leerpad_app::ledger::Statement;
use leerpad_domain::ledger::{LedgerError, TransferKind};
use leerpad_domain::shared::Money;
use leerpad_formats::spreadsheet::safe_cell;
use serde::Deserialize;

/// A statement line as shown.
pub struct LineView {
    pub at: String,
    pub what: String,
    pub memo: String,
    pub counterparty: String,
    /// Signed, in euros ("+ € 1.000,-", "− € 850,-"); empty when the money you can spend did
    /// not change (a hold for you, paid from a hold elsewhere).
    pub change: String,
}

/// A scheme's yearly deposit as the person sees it.
pub struct DepositView {
    pub scheme: String,
    pub slug: String,
    pub yearly: String,
    /// What happened this year, in a sentence.
    pub state: String,
}

#[derive(Template)]
#[template(path = "ledger/account.html")]
struct AccountPage {
    page: PageCtx,
    deposits: Vec<DepositView>,
    available: String,
    held: String,
    total: String,
    lines: Vec<LineView>,
    /// The printable statement (no navigation, all on paper).
    printable: bool,
    holder: String,
    printed_at: String,
}

fn signed(m: Money, lang: &str) -> String {
    match m.cents() {
        0 => String::new(),
        c if c > 0 => format!("+ {}", m.format_euros(lang)),
        c => format!("− {}", Money::from_cents(-c).format_euros(lang)),
    }
}

fn kind_key(kind: TransferKind, incoming: bool) -> &'static str {
    match (kind, incoming) {
        (TransferKind::Transfer, true) => "ledger-kind-in",
        (TransferKind::Transfer, false) => "ledger-kind-out",
        (TransferKind::Hold, _) => "ledger-kind-hold",
        (TransferKind::Post, _) => "ledger-kind-post",
        (TransferKind::Void, _) => "ledger-kind-void",
        (TransferKind::Expire, _) => "ledger-kind-expire",
    }
}

fn lines(page: &PageCtx, s: &Statement) -> Vec<LineView> {
    let lang = page.lang.code();
    s.lines
        .iter()
        .map(|l| {
            let incoming = l.transfer.to == s.account.id;
            LineView {
                at: local_time(l.transfer.at, page),
                what: page.t(kind_key(l.transfer.kind, incoming)),
                memo: l.transfer.memo.clone(),
                counterparty: l.counterparty.clone(),
                change: signed(l.change, lang),
            }
        })
        .collect()
}

async fn show(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    printable: bool,
) -> Result<Response, Problem> {
    // This year's deposits first, so the statement shows them.
    let deposits = deposit_views(
        &page,
        state.financing().my_yearly_deposits(principal).await?,
    );
    let s = state.ledger().my_statement(principal).await?;
    let lang = page.lang.code();
    let b = s.account.balance;
    Ok(render(
        StatusCode::OK,
        &AccountPage {
            deposits,
            available: b.available().format_euros(lang),
            held: b.held.format_euros(lang),
            total: b.posted.format_euros(lang),
            lines: lines(&page, &s),
            printable,
            holder: principal.email.clone(),
            printed_at: local_time(state.clock().now(), &page),
            page,
        },
    ))
}

fn deposit_views(
    page: &PageCtx,
    outcomes: Vec<leerpad_app::financing::DepositOutcome>,
) -> Vec<DepositView> {
    use leerpad_domain::financing::EligibilityVerdict;
    let lang = page.lang.code();
    outcomes
        .into_iter()
        .filter_map(|o| {
            let deposit = o.scheme.definition.yearly_deposit.as_ref()?;
            let state = match (&o.deposited, &o.refused, &o.verdict) {
                (Some(t), _, _) => page.t_args(
                    "ledger-deposit-done",
                    &[
                        ("amount", t.amount.format_euros(lang)),
                        ("date", local_time(t.at, page)),
                    ],
                ),
                (None, Some(_), _) => page.t("ledger-deposit-budget-spent"),
                (None, None, EligibilityVerdict::Eligible) => page.t("ledger-deposit-ceiling"),
                (None, None, EligibilityVerdict::Unknown { .. }) => {
                    page.t("ledger-deposit-unknown")
                }
                (None, None, EligibilityVerdict::NotEligible { .. }) => {
                    page.t("ledger-deposit-not-eligible")
                }
            };
            Some(DepositView {
                scheme: o.scheme.definition.name.get(lang).to_owned(),
                slug: o.scheme.slug.clone(),
                yearly: deposit.amount_cents.format_euros(lang),
                state,
            })
        })
        .collect()
}

/// GET /leerrekening
pub async fn account(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    show(&state, page, &auth.principal, false).await
}

/// GET /leerrekening/afschrift: the statement to print.
pub async fn statement(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    show(&state, page, &auth.principal, true).await
}

/// GET /leerrekening/afschrift.csv
pub async fn statement_csv(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    let s = state.ledger().my_statement(&auth.principal).await?;
    let fail =
        |e: csv::Error| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "csv", e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        page.t("ledger-csv-date"),
        page.t("ledger-csv-kind"),
        page.t("ledger-csv-memo"),
        page.t("ledger-csv-counterparty"),
        page.t("ledger-csv-amount"),
        page.t("ledger-csv-change"),
        page.t("ledger-csv-reference"),
    ])
    .map_err(fail)?;
    for l in &s.lines {
        let incoming = l.transfer.to == s.account.id;
        let date = jiff::Timestamp::from_second(l.transfer.at)
            .map(|t| t.to_string())
            .unwrap_or_default();
        w.write_record([
            date,
            page.t(kind_key(l.transfer.kind, incoming)),
            safe_cell(&l.transfer.memo).into_owned(),
            safe_cell(&l.counterparty).into_owned(),
            l.transfer.amount.decimal(),
            l.change.decimal(),
            safe_cell(&l.transfer.key).into_owned(),
        ])
        .map_err(fail)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "csv", e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leerrekening.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// A bar of the budget chart, with its number.
pub struct BudgetBar {
    pub label: String,
    pub amount: String,
    pub width_pct: i64,
}

/// A budget with its chart.
pub struct BudgetView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub bars: Vec<BudgetBar>,
}

/// The employer deposit form as filled in.
#[derive(Debug, Default, Deserialize)]
pub struct StaffForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    memo: String,
    #[serde(default)]
    from_bank: Option<String>,
    /// One person a line: `e-mail;amount`.
    #[serde(default)]
    staff: String,
}

#[derive(Template)]
#[template(path = "ledger/budgets.html")]
struct BudgetsPage {
    page: PageCtx,
    budgets: Vec<BudgetView>,
    form: StaffForm,
    /// A fresh key for the next deposit (a resent form keeps its own).
    key: String,
    errors: Vec<String>,
    done: Option<String>,
}

/// GET /beheer/leerrekeningen: every budget's money in, out, held and left, as a chart with
/// the amounts beside it; the form for an employer's deposit for named staff.
pub async fn budgets(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Response, Problem> {
    budgets_page(
        &state,
        page,
        &auth.principal,
        StaffForm::default(),
        Vec::new(),
        None,
    )
    .await
}

/// The staff lines of the form, each `e-mail;amount` (a comma or tab works too); a line that
/// cannot be read is named by its number.
pub(crate) fn staff_lines(
    page: &PageCtx,
    text: &str,
) -> (Vec<leerpad_app::ledger::StaffLine>, Vec<String>) {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let parts: Vec<&str> = raw.splitn(2, [';', '\t']).collect();
        let parsed = match parts.as_slice() {
            [email, amount] => Money::parse_euros(amount).map(|amount| (email.trim(), amount)),
            _ => None,
        };
        match parsed {
            Some((email, amount)) => lines.push(leerpad_app::ledger::StaffLine {
                email: email.to_owned(),
                amount,
            }),
            None => errors.push(page.t_args(
                "ledger-staff-error-line",
                &[("line", (i + 1).to_string()), ("text", raw.to_owned())],
            )),
        }
    }
    (lines, errors)
}

/// POST /beheer/leerrekeningen/werkgeversstorting: an employer's deposit for named staff.
pub async fn staff_deposit(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<Response, Problem> {
    let (lines, mut errors) = staff_lines(&page, &form.staff);
    if errors.is_empty() {
        let deposit = leerpad_app::ledger::StaffDeposit {
            employer: form.employer.clone(),
            from_bank: form.from_bank.is_some(),
            memo: form.memo.clone(),
            lines,
        };
        match state
            .ledger()
            .deposit_for_staff(&auth.principal, &form.key, &deposit)
            .await
        {
            Ok(transfers) => {
                let people = transfers.len() - usize::from(deposit.from_bank);
                let done = page.t_args(
                    "ledger-staff-done",
                    &[
                        ("people", people.to_string()),
                        ("employer", deposit.employer.trim().to_owned()),
                    ],
                );
                return budgets_page(
                    &state,
                    page,
                    &auth.principal,
                    StaffForm::default(),
                    Vec::new(),
                    Some(done),
                )
                .await;
            }
            Err(AppError::InvalidFields(list)) => {
                errors.extend(crate::pages::field_problems(page.lang, &list))
            }
            Err(AppError::Ledger(LedgerError::Insufficient { available, .. })) => {
                errors.push(page.t_args(
                    "ledger-staff-error-insufficient",
                    &[("available", available.format_euros(page.lang.code()))],
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    budgets_page(&state, page, &auth.principal, form, errors, None).await
}

async fn budgets_page(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    form: StaffForm,
    errors: Vec<String>,
    done: Option<String>,
) -> Result<Response, Problem> {
    let lang = page.lang.code();
    let budgets = state
        .ledger()
        .budgets(principal)
        .await?
        .into_iter()
        .map(|b| {
            let bal = b.account.balance;
            let figures = [
                ("ledger-budget-deposited", b.deposited),
                ("ledger-budget-paid", b.paid),
                ("ledger-budget-held", bal.held),
                ("ledger-budget-left", bal.available()),
            ];
            let most = figures
                .iter()
                .map(|(_, m)| m.cents().unsigned_abs())
                .max()
                .unwrap_or(0)
                .max(1);
            BudgetView {
                id: b.account.id.get(),
                name: b.account.name.clone(),
                kind: page.t(&format!("ledger-account-kind-{}", b.account.kind)),
                bars: figures
                    .iter()
                    .map(|(key, m)| BudgetBar {
                        label: page.t(key),
                        amount: m.format_euros(lang),
                        width_pct: i64::try_from(
                            (u128::from(m.cents().unsigned_abs()) * 100 / u128::from(most))
                                .min(100),
                        )
                        .unwrap_or(100),
                    })
                    .collect(),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let key = if form.key.is_empty() {
        leerpad_app::secret::random_token()?
    } else {
        form.key.clone()
    };
    Ok(render(
        status,
        &BudgetsPage {
            page,
            budgets,
            form,
            key,
            errors,
            done,
        },
    ))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/beheer/leerrekeningen", get(budgets))
        .route(
            "/beheer/leerrekeningen/werkgeversstorting",
            post(staff_deposit),
        )
        .route("/leerrekening", get(account))
        .route("/leerrekening/afschrift", get(statement))
        .route("/leerrekening/afschrift.csv", get(statement_csv))
}

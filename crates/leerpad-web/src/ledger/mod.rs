//! "Mijn leerrekening" (`/leerrekening`): the balance, what is held, and every transfer with who
//! paid what; the statement as a printable page and as CSV. The budgets for programme managers
//! (`/beheer/leerrekeningen`); the API in [`api`].

pub(crate) mod api;

use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leerpad_app::ledger::Statement;
use leerpad_domain::ledger::TransferKind;
use leerpad_domain::shared::Money;
use leerpad_formats::spreadsheet::safe_cell;

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

#[derive(Template)]
#[template(path = "ledger/account.html")]
struct AccountPage {
    page: PageCtx,
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
    let s = state.ledger().my_statement(principal).await?;
    let lang = page.lang.code();
    let b = s.account.balance;
    Ok(render(
        StatusCode::OK,
        &AccountPage {
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

#[derive(Template)]
#[template(path = "ledger/budgets.html")]
struct BudgetsPage {
    page: PageCtx,
    budgets: Vec<BudgetView>,
}

/// GET /beheer/leerrekeningen: every budget's money in, out, held and left, as a chart with
/// the amounts beside it.
pub async fn budgets(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Response, Problem> {
    let lang = page.lang.code();
    let budgets = state
        .ledger()
        .budgets(&auth.principal)
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
    Ok(render(StatusCode::OK, &BudgetsPage { page, budgets }))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/beheer/leerrekeningen", get(budgets))
        .route("/leerrekening", get(account))
        .route("/leerrekening/afschrift", get(statement))
        .route("/leerrekening/afschrift.csv", get(statement_csv))
}

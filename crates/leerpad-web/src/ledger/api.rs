//! The learning account and the ledger over the API: one's own statement, and for programme
//! managers the budgets and moving money (every command with an idempotency key).

use crate::api::problems::{
    Conflict, Forbidden, InvalidFieldPaths, MalformedJson, NotFound, NotJson, Unauthorized,
};
use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leerpad_domain::ledger::{Account, Command, Transfer};
use leerpad_domain::shared::{AccountId, Money, TransferId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account and its balances, in cents.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerAccountDto {
    pub id: i64,
    /// learner, scheme, employer, provider, clearing or funding.
    pub kind: String,
    pub key: String,
    pub name: String,
    pub posted_cents: i64,
    /// Held for enrolments: still in the account, not spendable.
    pub held_cents: i64,
    pub available_cents: i64,
}

fn account_dto(a: &Account) -> LedgerAccountDto {
    LedgerAccountDto {
        id: a.id.get(),
        kind: a.kind.to_string(),
        key: a.key.clone(),
        name: a.name.clone(),
        posted_cents: a.balance.posted.cents(),
        held_cents: a.balance.held.cents(),
        available_cents: a.balance.available().cents(),
    }
}

/// A transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferDto {
    pub id: i64,
    /// transfer, hold, post, void or expire.
    pub kind: String,
    pub from_account: i64,
    pub to_account: i64,
    pub amount_cents: i64,
    /// For post, void and expire: the hold.
    pub hold: Option<i64>,
    /// For holds: pending, posted, voided or expired.
    pub state: Option<String>,
    /// For holds: when it expires (Unix seconds).
    pub expires_at: Option<i64>,
    pub memo: String,
    /// Unix seconds.
    pub at: i64,
}

fn transfer_dto(t: &Transfer) -> TransferDto {
    TransferDto {
        id: t.id.get(),
        kind: t.kind.to_string(),
        from_account: t.from.get(),
        to_account: t.to.get(),
        amount_cents: t.amount.cents(),
        hold: t.hold.map(TransferId::get),
        state: t.state.map(|s| s.to_string()),
        expires_at: t.expires_at,
        memo: t.memo.clone(),
        at: t.at,
    }
}

/// One's learning account with its transfers, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementDto {
    pub account: LedgerAccountDto,
    pub transfers: Vec<TransferDto>,
}

#[utoipa::path(get, path = "/api/v1/ledger/account", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = StatementDto), Unauthorized))]
pub async fn my_account(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Json<StatementDto>, Problem> {
    // This year's deposits first, so the statement shows them.
    state
        .financing()
        .my_yearly_deposits(&auth.principal)
        .await?;
    let s = state.ledger().my_statement(&auth.principal).await?;
    Ok(Json(StatementDto {
        account: account_dto(&s.account),
        transfers: s.lines.iter().map(|l| transfer_dto(&l.transfer)).collect(),
    }))
}

/// A budget: what came in and went out, and its balances.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetDto {
    pub account: LedgerAccountDto,
    pub deposited_cents: i64,
    pub paid_cents: i64,
}

#[utoipa::path(get, path = "/api/v1/ledger/budgets", tag = "ledger",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<BudgetDto>), Unauthorized, Forbidden))]
pub async fn budgets(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Json<Vec<BudgetDto>>, Problem> {
    let all = state.ledger().budgets(&auth.principal).await?;
    Ok(Json(
        all.iter()
            .map(|b| BudgetDto {
                account: account_dto(&b.account),
                deposited_cents: b.deposited.cents(),
                paid_cents: b.paid.cents(),
            })
            .collect(),
    ))
}

/// A command for the ledger. Which fields are needed depends on `op`: transfer and hold need
/// `from_account`, `to_account` and `amount_cents` (a hold also `expires_at`); post needs
/// `hold` and `amount_cents`; void needs `hold`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandDto {
    /// Any text unique to this command (1–200 characters): sending the same key with the same
    /// command again gives the first answer; with another command it is refused (409).
    pub idempotency_key: String,
    /// transfer, hold, post or void.
    pub op: String,
    #[serde(default)]
    pub from_account: Option<i64>,
    #[serde(default)]
    pub to_account: Option<i64>,
    #[serde(default)]
    pub amount_cents: Option<i64>,
    /// Unix seconds.
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub hold: Option<i64>,
    #[serde(default)]
    pub memo: String,
}

fn need<T>(value: Option<T>, field: &str) -> Result<T, Problem> {
    value.ok_or_else(|| Problem::validation(field, format!("{field}: required for this op")))
}

fn command_of(req: &CommandDto) -> Result<Command, Problem> {
    let memo = req.memo.chars().take(500).collect::<String>();
    Ok(match req.op.as_str() {
        "transfer" => Command::Transfer {
            from: AccountId::new(need(req.from_account, "from_account")?),
            to: AccountId::new(need(req.to_account, "to_account")?),
            amount: Money::from_cents(need(req.amount_cents, "amount_cents")?),
            memo,
        },
        "hold" => Command::Hold {
            from: AccountId::new(need(req.from_account, "from_account")?),
            to: AccountId::new(need(req.to_account, "to_account")?),
            amount: Money::from_cents(need(req.amount_cents, "amount_cents")?),
            expires_at: need(req.expires_at, "expires_at")?,
            memo,
        },
        "post" => Command::Post {
            hold: TransferId::new(need(req.hold, "hold")?),
            amount: Money::from_cents(need(req.amount_cents, "amount_cents")?),
            memo,
        },
        "void" => Command::Void {
            hold: TransferId::new(need(req.hold, "hold")?),
            memo,
        },
        _ => {
            return Err(Problem::validation(
                "op",
                "op: expected one of transfer, hold, post, void",
            ));
        }
    })
}

#[utoipa::path(post, path = "/api/v1/ledger/transfers", tag = "ledger",
    request_body = CommandDto, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = TransferDto), MalformedJson, Unauthorized, Forbidden, NotFound, NotJson, InvalidFieldPaths,
              Conflict))]
pub async fn execute(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiJson(req): ApiJson<CommandDto>,
) -> Result<(StatusCode, Json<TransferDto>), Problem> {
    let command = command_of(&req)?;
    let t = state
        .ledger()
        .execute(&auth.principal, &req.idempotency_key, &command)
        .await?;
    Ok((StatusCode::CREATED, Json(transfer_dto(&t))))
}

/// One person an employer pays for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffLineDto {
    /// The e-mail address of the person's Leerpad account.
    pub email: String,
    pub amount_cents: i64,
}

/// An employer's deposit for named staff: all lines are paid, or none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffDepositDto {
    /// Any text unique to this deposit (1–200 characters): the same key again gives the first
    /// transfers.
    pub idempotency_key: String,
    /// The employer's name; its budget account is found or opened by it.
    pub employer: String,
    /// Whether the total comes in from the employer's bank now (else the employer's budget
    /// must hold it already).
    #[serde(default)]
    pub from_bank: bool,
    /// What the money is for, shown on every statement.
    pub memo: String,
    pub staff: Vec<StaffLineDto>,
}

#[utoipa::path(post, path = "/api/v1/ledger/employer-deposits", tag = "ledger",
    request_body = StaffDepositDto, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Vec<TransferDto>), MalformedJson, Unauthorized, Forbidden, NotJson, InvalidFieldPaths,
              Conflict))]
pub async fn employer_deposit(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiJson(req): ApiJson<StaffDepositDto>,
) -> Result<(StatusCode, Json<Vec<TransferDto>>), Problem> {
    let deposit = leerpad_app::ledger::StaffDeposit {
        employer: req.employer,
        from_bank: req.from_bank,
        memo: req.memo,
        lines: req
            .staff
            .into_iter()
            .map(|l| leerpad_app::ledger::StaffLine {
                email: l.email,
                amount: Money::from_cents(l.amount_cents),
            })
            .collect(),
    };
    let transfers = state
        .ledger()
        .deposit_for_staff(&auth.principal, &req.idempotency_key, &deposit)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(transfers.iter().map(transfer_dto).collect()),
    ))
}

pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(my_account))
        .routes(utoipa_axum::routes!(budgets))
        .routes(utoipa_axum::routes!(execute))
        .routes(utoipa_axum::routes!(employer_deposit))
}

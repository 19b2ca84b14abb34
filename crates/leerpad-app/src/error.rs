//! The one error type of the use cases, and Leerpad's error policy.
//!
//! Which error type where:
//! - **domain** (`leerpad-domain`): a `thiserror` enum per rule set that names the field
//!   (`AccountError`, `FieldError` lists from validation, `Denied` from the policy). No I/O, no
//!   HTTP. Storage ports return `StoreError`: `Conflict` (a unique rule), `Refused` (an
//!   invariant checked in the writing transaction) or `Backend` (the database failed).
//! - **adapters that are libraries** (storage, search, formats, embed, esco): their own
//!   `thiserror` enums; formats report every bad line with file, line and field.
//! - **use cases** (this crate): [`AppError`]; `From<StoreError>` sends `Conflict` and
//!   `Refused` to [`AppError::Conflict`] (409) and only `Backend` to [`AppError::Store`].
//! - **edges**: the web maps `AppError` to an RFC 9457 problem in `leerpad-web/src/error.rs`
//!   (`Invalid`/`InvalidFields` 422 with `errors[]`, `InvalidCredentials` 401, `Forbidden`
//!   403, `NotFound` 404, `Conflict`/`Refused`/`EmailTaken`/`NoProvider` 409, `Ledger` 404/409/422 by
//!   the refusal, `Throttled` 429 with
//!   `Retry-After`, `Store`/`Internal` 500 with the text logged and never shown); the CLI uses
//!   `anyhow` and prints the chain. No `unwrap()` on input anywhere.

use leerpad_domain::accounts::AccountError;
use leerpad_domain::policy::Denied;
use leerpad_domain::ports::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input broke a domain rule; the error names the field.
    #[error(transparent)]
    Invalid(#[from] AccountError),
    /// Input broke rules of several fields at once; each error names its field.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<leerpad_domain::shared::FieldError>),
    #[error("email: an account with this e-mail address already exists")]
    EmailTaken,
    #[error("e-mail address or password is wrong")]
    InvalidCredentials,
    #[error("too many failed logins; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: i64 },
    #[error(transparent)]
    Forbidden(#[from] Denied),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request clashes with what is stored (e.g. the same offer twice in one import).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A rule refused the step now (409, like `Conflict`), with a code and arguments so a page
    /// can say it in the reader's language; `message` is the English for the API and logs.
    #[error("conflict: {message}")]
    Refused {
        code: &'static str,
        args: Vec<(&'static str, String)>,
        message: String,
    },
    /// A provider account acts for no provider organisation yet.
    #[error(
        "this account does not act for a training provider yet: register the organisation first"
    )]
    NoProvider,
    /// The ledger refused to move money (nothing moved).
    #[error(transparent)]
    Ledger(#[from] leerpad_domain::ledger::LedgerError),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<StoreError> for AppError {
    /// A write that clashes with what is stored, or that the store refused to protect an
    /// invariant, is the caller's conflict (409), never a failure of the platform.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(message) | StoreError::Refused(message) => {
                AppError::Conflict(message)
            }
            other => AppError::Store(other),
        }
    }
}

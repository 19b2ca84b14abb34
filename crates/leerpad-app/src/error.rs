//! The one error type of the use cases. Each variant maps to one kind of answer at the edge
//! (a 4xx problem with a field, a 403, a 429 …); `Store` and `Internal` are the only 5xx causes,
//! and their text is logged, never shown.

use leerpad_domain::account::AccountError;
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
    /// A provider account acts for no provider organisation yet.
    #[error(
        "this account does not act for a training provider yet: register the organisation first"
    )]
    NoProvider,
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<StoreError> for AppError {
    /// A write the store refused to protect an invariant is the caller's conflict (409), not
    /// a failure of the platform.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(message) => AppError::Conflict(message),
            other => AppError::Store(other),
        }
    }
}

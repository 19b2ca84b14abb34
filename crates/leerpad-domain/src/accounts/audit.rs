//! Security events written to the audit log. Reading someone else's personal data is one of
//! them: the product brief promises learners that every such access is logged.

use crate::clock::UnixTime;
use crate::shared::UserId;
use serde::Serialize;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditEvent {
    Registered,
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    PasswordChanged,
    RoleGranted,
    RoleRevoked,
    ApiTokenCreated,
    ApiTokenRevoked,
    PersonalDataAccessed,
    UserCreated,
    /// The person deleted their own account; the entry keeps only ids.
    AccountDeleted,
    /// A step in an enrolment (request, answer, confirmation, start, completion, end).
    EnrolmentStep,
    /// A step in a provider's application to a call for cost coverage (a decision included).
    ApplicationStep,
    /// A programme manager verified a provider organisation, so its offers are published.
    ProviderVerified,
}

impl AuditEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Registered => "registered",
            AuditEvent::Login => "login",
            AuditEvent::LoginFailed => "login_failed",
            AuditEvent::LoginThrottled => "login_throttled",
            AuditEvent::Logout => "logout",
            AuditEvent::PasswordChanged => "password_changed",
            AuditEvent::RoleGranted => "role_granted",
            AuditEvent::RoleRevoked => "role_revoked",
            AuditEvent::ApiTokenCreated => "api_token_created",
            AuditEvent::ApiTokenRevoked => "api_token_revoked",
            AuditEvent::PersonalDataAccessed => "personal_data_accessed",
            AuditEvent::UserCreated => "user_created",
            AuditEvent::AccountDeleted => "account_deleted",
            AuditEvent::EnrolmentStep => "enrolment_step",
            AuditEvent::ApplicationStep => "application_step",
            AuditEvent::ProviderVerified => "provider_verified",
        }
    }
}

/// One entry to append: who did what to whom, from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: UnixTime,
    pub event: AuditEvent,
    /// The account that acted; `None` for anonymous attempts such as a failed login.
    pub actor_user_id: Option<UserId>,
    /// The account the event is about, when it differs from or lacks an actor.
    pub subject_user_id: Option<UserId>,
    pub ip: Option<String>,
    /// Event-specific facts (e.g. the role granted), as a small JSON object.
    pub detail: serde_json::Value,
}

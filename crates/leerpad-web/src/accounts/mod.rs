//! Accounts: registration, login, sessions, one's own account and API tokens, and their administration (users, roles, the audit log, programme figures).
//!
//! `api` holds the JSON endpoints (with their OpenAPI description) and `pages` the HTML pages;
//! each exports its `routes()`, which `crate::api::router` and `crate::pages::router` merge.

pub(crate) mod admin_api;
pub(crate) mod admin_pages;
pub(crate) mod api;
pub(crate) mod pages;

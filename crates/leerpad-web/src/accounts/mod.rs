//! Accounts: registration, login, sessions, one's own account and API tokens, and their administration (users, roles, the audit log, programme figures).
//!
//! `api` and `admin_api` hold the JSON endpoints (with their OpenAPI description); `pages`
//! (signing in and out), `account_page` (one's own account) and `admin_pages` the HTML pages.
//! Each exports its `routes()`, which `crate::api::router` and `crate::pages::router` merge.

pub(crate) mod account_page;
pub(crate) mod admin_api;
pub(crate) mod admin_pages;
pub(crate) mod api;
pub(crate) mod pages;

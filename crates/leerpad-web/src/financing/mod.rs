//! Financing schemes (regelingen): the overview, the questionnaire and net prices, and the programme managers' scheme editor.
//!
//! `api` holds the JSON endpoints (with their OpenAPI description); the HTML pages are split into
//! `pages` (the schemes), `check_pages` (the questionnaire and net prices), `admin_pages`
//! (the list, publishing and the TOML editor) and `scheme_editor` with `scheme_form` (the
//! form managers edit schemes in). Each exports its `routes()`, which `crate::api::router` and
//! `crate::pages::router` merge.

pub(crate) mod admin_pages;
pub(crate) mod api;
pub(crate) mod check_pages;
pub(crate) mod pages;
pub(crate) mod scheme_editor;
pub(crate) mod scheme_form;

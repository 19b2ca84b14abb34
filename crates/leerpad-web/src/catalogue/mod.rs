//! The training catalogue: search with facets, offer pages, provider uploads and the change feed.
//!
//! `api` holds the JSON endpoints (with their OpenAPI description) and `pages` the HTML pages;
//! each exports its `routes()`, which `crate::api::router` and `crate::pages::router` merge.

pub(crate) mod api;
pub(crate) mod pages;

//! The training catalogue: search with facets, offer pages, provider uploads and the change feed.
//!
//! `api` (search, offers and the change feed) and `api_provider` (a provider's uploads and
//! organisation) hold the JSON endpoints with their OpenAPI description; `pages` (search) and
//! `offer_page` the HTML pages; `portal` (with `offer_form`) the provider portal's pages and the
//! verification of organisations. Each exports its `routes()`, which `crate::api::router` and
//! `crate::pages::router` merge.

pub(crate) mod api;
pub(crate) mod api_provider;
pub(crate) mod offer_form;
pub(crate) mod offer_page;
pub(crate) mod pages;
pub(crate) mod portal;

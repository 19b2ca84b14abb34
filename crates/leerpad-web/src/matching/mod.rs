//! The learner's skills profile, occupations within reach, the skill gap and the training plan.
//!
//! `api` (the profile) and `api_chances` (matches, gap and plan) hold the JSON endpoints with
//! their OpenAPI description, and `pages` the HTML pages; each exports its `routes()`, which
//! `crate::api::router` and `crate::pages::router` merge.
//! `views` holds what the pages show and the helpers both build on; `growth_view` the
//! suggestions that move from shrinking to growing work.

pub(crate) mod api;
pub(crate) mod api_chances;
pub(crate) mod growth_view;
pub(crate) mod pages;
pub(crate) mod views;

//! Ontwikkeladvies on the web: the learner's entry at `/advies` (programmes, whether you may
//! use one, registering, your place) and the API under `/api/v1/advies`.

pub(crate) mod admin_pages;
pub(crate) mod advisor_pages;
pub(crate) mod api;
pub(crate) mod appointment_pages;
pub(crate) mod dashboard;
pub(crate) mod pages;
pub(crate) mod plan_pages;

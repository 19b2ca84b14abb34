//! Calls for cost coverage on the web: the API in [`api`] (pages follow).

pub(crate) mod api;

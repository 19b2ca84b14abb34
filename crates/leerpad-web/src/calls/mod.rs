//! Calls for cost coverage on the web: the API in [`api`], the pages in [`pages`].

pub(crate) mod api;
pub(crate) mod pages;

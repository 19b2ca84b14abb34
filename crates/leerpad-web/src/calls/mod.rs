//! Calls for cost coverage on the web: the API in [`api`], the pages in [`pages`], the form
//! that opens a call in [`call_form`].

pub(crate) mod api;
pub(crate) mod call_form;
pub(crate) mod pages;

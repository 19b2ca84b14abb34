//! Regions on the web: the overview and a page per region (`/regio`, `/regio/{slug}`), the
//! initiatives (`/initiatieven`, `/initiatieven/{id}`) and the programme manager's form and CSV
//! upload (`/beheer/initiatieven`) in [`pages`]; the dashboard in [`dashboard`]; the
//! learning-culture survey (`/leercultuur`) in [`culture`]; the JSON API in [`api`].

pub(crate) mod api;
pub(crate) mod culture;
pub(crate) mod dashboard;
pub(crate) mod pages;

//! Employers on the web: becoming one (`/werkgever-worden`), the company and its staff
//! exchange with matches (`/werkgever`), in [`pages`].

pub(crate) mod pages;

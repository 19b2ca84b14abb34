//! Leerpad's storage adapter: the domain's ports (`leerpad_domain::ports`) implemented on
//! SQLite, the embedded default, and PostgreSQL, the server for scale.
//!
//! Both engines share one set of SQL statements: the dialect differences that matter here
//! (auto-increment keys, integer widths) are confined to the two migration directories, and
//! statements use `$N` placeholders, which both drivers accept. [`db`] holds the small layer that
//! binds arguments and decodes rows for either engine; one module per feature (`accounts/`,
//! `catalogue/`, `financing`, `matching`, `taxonomy`) holds its queries.

mod accounts;
mod advice;
mod calls;
mod catalogue;
mod chat;
pub mod db;
mod employers;
mod enrolment;
mod financing;
mod jobs;
mod ledger;
mod mail;
mod matching;
mod quality;
mod regions;
mod taxonomy;
#[cfg(feature = "testing")]
pub mod testing;

pub use chat::{LocalBus, PgBus, chat_bus};
pub use db::{ConnectError, ConnectOptions, Engine, SqlStore};

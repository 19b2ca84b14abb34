//! Leerpad's domain: the rules of the platform as plain Rust.
//!
//! This crate knows nothing of HTTP, SQL or files. Adapters (storage, web, CLI) depend on it,
//! never the other way round, so every rule here can be tested without a server or a database.
//! Storage is reached through each feature's capability traits (`<feature>::ports`), composed
//! in [`ports::Store`]; the storage crate implements them for SQLite and PostgreSQL.
//!
//! Layout: one folder per feature (`accounts`, `catalogue`, `financing`, `matching`,
//! `taxonomy`), each with its model, rules and `ports.rs`; what several features share lives in
//! [`shared`]; `policy` and `role` are the one authorization policy for all features.

pub mod accounts;
pub mod advice;
pub mod calls;
pub mod catalogue;
pub mod chat;
pub mod clock;
pub mod employers;
pub mod enrolment;
pub mod financing;
pub mod jobs;
pub mod ledger;
pub mod mail;
pub mod matching;
pub mod metrics;
pub mod policy;
pub mod ports;
pub mod quality;
pub mod regions;
pub mod role;
pub mod shared;
pub mod taxonomy;

pub use accounts::audit::{AuditEntry, AuditEvent};
pub use accounts::{AccountError, DisplayName, Email, Password, TokenName};
pub use clock::{Clock, ManualClock, SystemClock, UnixTime};
pub use policy::{Action, Denied, Principal};
pub use role::{Role, RoleSet};

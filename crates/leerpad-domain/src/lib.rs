//! Leerpad's domain: the rules of the platform as plain Rust.
//!
//! This crate knows nothing of HTTP, SQL or files. Adapters (storage, web, CLI) depend on it,
//! never the other way round, so every rule here can be tested without a server or a database.
//! Storage is reached through the capability traits in [`ports`], which the storage crate
//! implements for SQLite and PostgreSQL and tests can implement in memory.

pub mod account;
pub mod audit;
pub mod catalogue;
pub mod clock;
pub mod financing;
pub mod matching;
pub mod metrics;
pub mod policy;
pub mod ports;
pub mod regions;
pub mod role;
pub mod shared;
pub mod taxonomy;
pub mod throttle;

pub use account::{AccountError, DisplayName, Email, Password, TokenName};
pub use audit::{AuditEntry, AuditEvent};
pub use clock::{Clock, ManualClock, SystemClock, UnixTime};
pub use policy::{Action, Denied, Principal};
pub use role::{Role, RoleSet};

//! Accounts, sessions, API tokens, login failures and the audit log: the accounts ports
//! implemented on SQL, one port per file.

mod audit;
mod login;
mod sessions;
mod tokens;
mod users;

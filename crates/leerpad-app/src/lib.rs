//! Leerpad's use cases. Each public method is one thing a person or an integration does
//! ("register", "log in", "revoke a token"); it checks the policy, applies the domain's rules,
//! talks to storage through the ports and writes the audit trail. The web and CLI adapters call
//! these and only translate inputs and outputs.

pub mod accounts;
pub mod advice;
pub mod calls;
pub mod catalogue;
pub mod chat;
pub mod employers;
pub mod enrolment;
pub mod error;
pub mod financing;
pub mod jobs;
pub mod ledger;
pub mod mail;
pub mod matching;
pub mod quality;
pub mod regions;
pub mod secret;
pub mod services;
pub mod taxonomy;

pub use accounts::{
    AccountView, Accounts, AccountsConfig, IssuedApiToken, LoggedIn, ProgrammeOverview,
};
pub use error::AppError;
pub use secret::HashCost;
pub use services::{Adapters, Services};

//! Leerpad's end-to-end tests as one test binary (one link step instead of one per file).
//!
//! Each feature has its file (`accounts`, `catalogue`, `financing`, `matching`, `taxonomy`,
//! `import`); cross-cutting suites sit beside them: `bad_input`, `operations`, `security`,
//! `concurrency` (N requests at once through a real socket), `cli` and `browser` and
//! `api_schema` (the real binary, Chromium and schemathesis). `common` drives the router
//! in-process on every engine with fixtures; `server` starts the real `leerpad` binary.
//!
//! Run one suite with `cargo test --test it <file>::`, e.g. `cargo test --test it browser::`.

mod common;
mod server;

mod accounts;
mod advice;
mod api_schema;
mod bad_input;
mod browser;
mod calls;
mod catalogue;
mod chat;
mod cli;
mod concurrency;
mod employers;
mod enrolment;
mod financing;
mod import;
mod ledger;
mod mail;
mod matching;
mod operations;
mod portal;
mod quality;
mod regions;
mod security;
mod taxonomy;

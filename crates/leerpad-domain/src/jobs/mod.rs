//! Durable background work (a window's draw, a reminder, a deadline): a job is a row with a
//! unique key, a time to run and a lease. Workers claim due jobs one at a time (PostgreSQL
//! `FOR UPDATE SKIP LOCKED`; SQLite's write lock does the same), so several nodes never take
//! the same job; a job whose worker died is taken again when its lease runs out. That makes
//! delivery at-least-once; each job's work is written to happen once (a window is drawn once,
//! by its primary key), so a job taken again does not act twice. Enqueueing the same key again
//! does nothing, so a job is never planned twice either.

pub mod ports;

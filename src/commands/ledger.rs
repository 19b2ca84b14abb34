//! `leerpad ledger …`: the ledger for auditors.

use super::{DatabaseArgs, open_store};
use anyhow::Context;
use leerpad_app::ledger::Ledger;
use leerpad_domain::advice::advisors::local_day;
use leerpad_domain::clock::{Clock, SystemClock};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, clap::Subcommand)]
pub enum LedgerCommand {
    /// Write the whole ledger as a double-entry journal in beancount's format, with each
    /// account's closing balances asserted (check it with `bean-check FILE`).
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

pub async fn run(file: Option<PathBuf>, cmd: LedgerCommand) -> anyhow::Result<()> {
    match cmd {
        LedgerCommand::Export { output, db } => {
            let config = db.config(file)?;
            let store = Arc::new(open_store(&config).await?);
            let clock = Arc::new(SystemClock);
            let now = clock.now();
            let ledger = Ledger::new(store.clone(), store.clone(), clock);
            let (accounts, transfers) = ledger.everything().await?;
            let today = local_day(now).context("today's date")?;
            let first = transfers.iter().filter_map(|t| local_day(t.at)).min();
            let last = transfers.iter().filter_map(|t| local_day(t.at)).max();
            // Balances are asserted the day after the last transfer (beancount checks a
            // balance at the start of its day), and never before today.
            let closing = last
                .and_then(|d| d.next_day())
                .map_or(today, |d| d.max(today));
            let opened = first.map_or(today, |d| d.min(today));
            let text = leerpad_formats::journal::beancount(
                &accounts, &transfers, &local_day, opened, closing,
            );
            match output {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => print!("{text}"),
            }
            eprintln!(
                "ledger exported: {} accounts, {} transfers",
                accounts.len(),
                transfers.len()
            );
            store.close().await;
            Ok(())
        }
    }
}

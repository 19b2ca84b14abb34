//! Subcommands. Each loads the configuration, opens what it needs and calls the use cases.

pub mod bench;
mod bench_chat;
mod bench_financing;
mod bench_ledger;
mod bench_matching;
mod bench_pages;
mod bench_search;
mod bench_surge;
pub mod demo;
pub mod esco;
mod eval_matching;
mod eval_search;
pub mod import;
pub mod ledger;
pub mod platform;
pub mod progress;
pub mod semantic;
pub mod serve;
pub mod taxonomy;
pub mod user;

use crate::config::{Config, Overrides, config_path};
use anyhow::Context;
use leerpad_storage::{ConnectOptions, SqlStore};
use std::path::PathBuf;

/// The database flag shared by commands that open the database.
#[derive(Debug, clap::Args)]
pub struct DatabaseArgs {
    /// Database URL: sqlite://FILE (embedded) or postgres://USER@HOST/DB
    /// [default: sqlite://leerpad.db]
    #[arg(long, env = "LEERPAD_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    /// The configuration from `file` and the environment, with this command's database URL
    /// (when given) in place of the configured one.
    pub fn config(&self, file: Option<PathBuf>) -> anyhow::Result<Config> {
        load_config(
            file,
            &Overrides {
                database_url: self.database_url.clone(),
                ..Default::default()
            },
        )
    }
}

pub fn load_config(file: Option<PathBuf>, overrides: &Overrides) -> anyhow::Result<Config> {
    Config::load(config_path(file).as_deref(), overrides)
}

/// Open and migrate the configured database.
pub async fn open_store(config: &Config) -> anyhow::Result<SqlStore> {
    let options = ConnectOptions {
        max_connections: config.database_max_connections,
        schema: config.database_schema.clone(),
    };
    let store = SqlStore::connect(&config.database_url, &options).await?;
    store.migrate().await.context("migrating the database")?;
    // Awards recorded before scheme budgets were ledger accounts go into the ledger once.
    let now = leerpad_domain::clock::Clock::now(&leerpad_domain::clock::SystemClock);
    let moved =
        leerpad_domain::financing::ports::FinancingStore::move_awards_into_ledger(&store, now)
            .await
            .context("moving earlier scheme awards into the ledger")?;
    if moved > 0 {
        tracing::info!(
            awards = moved,
            "earlier scheme awards moved into the ledger"
        );
    }
    Ok(store)
}

/// `leerpad reindex`: rebuild the search index from the database.
pub async fn reindex(file: Option<PathBuf>, args: DatabaseArgs) -> anyhow::Result<()> {
    let config = args.config(file)?;
    let started = std::time::Instant::now();
    let platform = platform::Platform::open(config, platform::IndexOptions::BULK).await?;
    let spinner = progress::spinner("rebuilding the search index");
    let n = progress::clear_after(&spinner, platform.services.catalogue.rebuild_index()).await?;
    println!(
        "search index rebuilt: {n} offers in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        platform.config.index_dir().display()
    );
    platform.sql.close().await;
    Ok(())
}

pub async fn migrate(file: Option<PathBuf>, args: DatabaseArgs) -> anyhow::Result<()> {
    let config = args.config(file)?;
    let store = open_store(&config).await?;
    println!("database is up to date ({})", store.engine_kind().name());
    store.close().await;
    Ok(())
}

pub fn print_config(file: Option<PathBuf>, args: DatabaseArgs) -> anyhow::Result<()> {
    let config = args.config(file)?;
    print!("{}", toml_of(&config)?);
    Ok(())
}

fn toml_of(config: &Config) -> anyhow::Result<String> {
    let value = serde_json::to_value(config)?;
    let mut out = String::new();
    if let serde_json::Value::Object(map) = value {
        for (k, v) in map {
            if !v.is_null() {
                out.push_str(&format!("{k} = {v}\n"));
            }
        }
    }
    Ok(out)
}

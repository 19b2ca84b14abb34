//! `leerpad serve`.

use super::{load_config, open_store};
use crate::config::{Config, Overrides};
use anyhow::Context;
use leerpad_app::Accounts;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_domain::clock::{Clock, SystemClock};
use leerpad_domain::ports::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every setting can also be given in the configuration file or as a LEERPAD_* \
environment variable (e.g. LEERPAD_SESSION_IDLE_MINUTES=30); see `leerpad config` and the README."
)]
pub struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "LEERPAD_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// Database URL: sqlite://FILE (embedded) or postgres://USER@HOST/DB
    /// [default: sqlite://leerpad.db]
    #[arg(long, env = "LEERPAD_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

fn init_logging(config: &Config) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log_level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = if config.log_format == "json" {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.try_init()
    };
    if let Err(e) = result {
        eprintln!("logging already initialised: {e}");
    }
}

pub async fn run(file: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<()> {
    let overrides = Overrides {
        bind: args.bind,
        database_url: args.database_url,
    };
    let config = load_config(file, &overrides)?;
    init_logging(&config);

    let store = open_store(&config).await?;
    tracing::info!(engine = store.engine_kind().name(), "database ready");
    let store: Arc<dyn Store> = Arc::new(store);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let taxonomy = Arc::new(load_taxonomy(store.as_ref(), clock.now()).await?);
    if config.semantic_matching {
        let service = taxonomy.clone();
        tokio::task::spawn_blocking(move || {
            let what = super::semantic::Use {
                skills: true,
                occupations: true,
            };
            if let Some(models) = super::semantic::load(&service.taxonomy, what, false) {
                service.set_semantic(models);
                tracing::info!("semantic matching ready");
            }
        });
    }
    let accounts = Accounts::new(store.clone(), clock.clone(), config.accounts());
    let state = leerpad_web::AppState::new(accounts, taxonomy, config.web());

    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another server using it?)",
                config.bind
            )
        })?;
    let addr = listener.local_addr()?;
    tracing::info!("Leerpad listens on http://{addr}");
    println!("Leerpad listens on http://{addr}");

    let window = config.accounts().throttle.window_secs;
    let sweeper = tokio::spawn(sweep(store, clock, window));
    let served = leerpad_web::serve(listener, state).await;
    sweeper.abort();
    served.context("server error")?;
    tracing::info!("stopped");
    Ok(())
}

/// The imported taxonomy if there is one, else the bundled copy (stored on first start so
/// other tables can refer to its concepts).
async fn load_taxonomy(store: &dyn Store, now: i64) -> anyhow::Result<TaxonomyService> {
    let started = std::time::Instant::now();
    let data = match store.load_taxonomy().await? {
        Some(bytes) => leerpad_esco::unpack(&bytes)
            .context("the taxonomy in the database is unreadable; re-run `leerpad import esco`")?,
        None => {
            let data = leerpad_esco::bundled().context("loading the bundled ESCO taxonomy")?;
            super::import::save_taxonomy(store, &data, now).await?;
            data
        }
    };
    let service = tokio::task::spawn_blocking(move || TaxonomyService::new(data)).await?;
    tracing::info!(
        skills = service.taxonomy.skills().len(),
        occupations = service.taxonomy.occupations().len(),
        ms = started.elapsed().as_millis() as u64,
        "taxonomy ready"
    );
    Ok(service)
}

/// Expired sessions are refused on use, and old login failures no longer count; removing them
/// keeps both tables small.
async fn sweep(store: Arc<dyn Store>, clock: Arc<dyn Clock>, throttle_window_secs: i64) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = clock.now();
        match store.delete_expired_sessions(now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
        }
        if let Err(e) = store.prune_login_failures(now - throttle_window_secs).await {
            tracing::warn!(error = %e, "could not prune login failures");
        }
    }
}

//! `leerpad serve`.

use super::demo::DemoData;
use super::load_config;
use super::platform::{IndexOptions, Platform};
use crate::config::{Config, Overrides};
use anyhow::Context;
use leerpad_app::catalogue::{Catalogue, ImportRow};
use leerpad_domain::clock::Clock;
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
    /// On first start (an empty catalogue), load the demo catalogue: about 10,000 generated
    /// offers from ESCO, SBB profiles and real municipalities.
    #[arg(long)]
    pub demo: bool,
    /// How many demo offers `--demo` generates (a smaller catalogue starts faster, e.g. for
    /// browser tests).
    #[arg(long, env = "LEERPAD_DEMO_OFFERS", value_name = "N", default_value_t = DEMO_OFFERS,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub demo_offers: u64,
}

/// Offers in the demo catalogue and the seed that makes them.
const DEMO_OFFERS: u64 = 10_000;
const DEMO_SEED: u64 = 2026;
/// How often the server looks for catalogue changes made elsewhere (the command line, other
/// nodes) to index.
const INDEX_SYNC_SECS: u64 = 10;

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

    let platform = Platform::open(config.clone(), IndexOptions::default()).await?;
    tracing::info!(engine = platform.sql.engine_kind().name(), "database ready");
    let store = platform.services.store.clone();
    let clock = platform.services.clock.clone();
    let taxonomy = platform.services.taxonomy.clone();
    let catalogue = platform.services.catalogue.clone();
    if args.demo {
        load_demo(&catalogue, store.as_ref(), &taxonomy, args.demo_offers).await?;
        let added = platform.services.financing.seed_examples().await?;
        if added > 0 {
            tracing::info!(schemes = added, "example financing schemes loaded");
        }
        let added = platform.services.advice.seed_examples().await?;
        if added > 0 {
            tracing::info!(programmes = added, "example advice programmes loaded");
        }
        // One password for the example accounts made now, shown once, so a newcomer can sign
        // in as an advisor or a learner with a history.
        let password = leerpad_app::secret::random_token()?;
        let advice = &platform.services.advice;
        let advisors = advice
            .seed_example_advisors(&platform.services.accounts, &password)
            .await?;
        let learners = advice
            .seed_example_history(&platform.services.accounts, &password)
            .await?;
        let conversations = platform.services.chat.seed_examples().await?;
        if conversations > 0 {
            tracing::info!(conversations, "example conversations loaded");
        }
        let steps = platform.services.ledger.seed_examples().await?;
        if steps > 0 {
            tracing::info!(steps, "example learning accounts loaded");
        }
        let applications = platform.services.calls.seed_examples().await?;
        if applications > 0 {
            tracing::info!(applications, "example calls for cost coverage loaded");
        }
        let initiatives = platform.services.regional.seed_examples().await?;
        if initiatives > 0 {
            tracing::info!(initiatives, "example regional initiatives loaded");
        }
        let employers = platform
            .services
            .employers
            .seed_examples(&platform.services.accounts, &password)
            .await?;
        if employers > 0 {
            tracing::info!(employers, "example employers and staff exchanges loaded");
        }
        let portal = catalogue
            .seed_example_portal(&platform.services.accounts, &password)
            .await?;
        if portal > 0 {
            tracing::info!(accounts = portal, "example provider portal accounts loaded");
        }
        let answers = platform
            .services
            .quality
            .seed_examples(&platform.services.accounts, &password)
            .await?;
        if answers > 0 {
            tracing::info!(answers, "example ratings and complaints loaded");
        }
        if advisors + learners > 0 {
            tracing::info!(advisors, learners, "example advisors and learners loaded");
            println!(
                "Example accounts (invented people; the password is shown only now):\n  \
                 advisor            fatima.elamrani@voorbeeld.leerpad.nl\n  \
                 learner            anna.janssen@voorbeeld.leerpad.nl\n  \
                 programme manager  {manager}\n  \
                 provider           {provider} (and {newcomer}, not verified yet)\n  \
                 (and the others in data/advice/advisors.toml and learners.toml)\n  \
                 password {password}",
                manager = leerpad_app::catalogue::EXAMPLE_MANAGER,
                provider = leerpad_app::catalogue::EXAMPLE_PROVIDER,
                newcomer = leerpad_app::catalogue::EXAMPLE_NEWCOMER,
            );
        }
        if platform.services.matching.demand().is_empty() {
            let records = super::demo::demo_demand(
                platform.services.taxonomy.taxonomy.data(),
                super::demo::DEMO_DEMAND_SEED,
                super::demo::DEMO_DEMAND_PERIOD,
            );
            let rows = records.into_iter().map(|r| (0, Ok(r))).collect();
            match platform.services.matching.import_demand(rows).await {
                Ok(n) => tracing::info!(figures = n, "demo labour-market demand loaded"),
                Err(problems) => tracing::warn!(
                    problems = problems.len(),
                    "demo demand refused: {:?}",
                    problems.first()
                ),
            }
        }
    }
    if config.semantic_matching {
        let service = taxonomy.clone();
        tokio::task::spawn_blocking(move || {
            let what = super::semantic::Use::ALL;
            if let Some(models) = super::semantic::load(&service.taxonomy, what, false) {
                service.set_semantic(models);
                tracing::info!("semantic matching ready");
            }
        });
    }
    let state = leerpad_web::AppState::new(platform.services.clone(), config.web());

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
    let indexer = tokio::spawn(keep_index_in_sync(catalogue));
    let worker = tokio::spawn(run_jobs(platform.services.jobs.clone()));
    let mailer = match config.mail()? {
        Some((smtp, texts)) => {
            tracing::info!("messages are mailed");
            Some(tokio::spawn(deliver_mail(
                platform.services.mailbox.clone(),
                smtp,
                texts,
            )))
        }
        None => {
            tracing::info!("no smtp_url: messages are shown on the site only");
            None
        }
    };
    let served = leerpad_web::serve(listener, state).await;
    sweeper.abort();
    indexer.abort();
    worker.abort();
    if let Some(mailer) = mailer {
        mailer.abort();
    }
    served.context("server error")?;
    tracing::info!("stopped");
    Ok(())
}

/// Fill an empty catalogue with the demo offers.
async fn load_demo(
    catalogue: &Catalogue,
    store: &dyn Store,
    taxonomy: &leerpad_app::taxonomy::TaxonomyService,
    count: u64,
) -> anyhow::Result<()> {
    let (_, offers) = store.catalogue_state().await?;
    if offers > 0 {
        tracing::info!(offers, "catalogue not empty: demo offers not loaded");
        return Ok(());
    }
    let started = std::time::Instant::now();
    let data = DemoData::load(taxonomy)?;
    let today = catalogue.today();
    let rows: Vec<ImportRow> = data
        .generator(DEMO_SEED, today, count)?
        .take(count as usize)
        .enumerate()
        .map(|(i, offer)| ImportRow {
            line: i as u64 + 1,
            key: Some(offer.provider_offer_id.clone()),
            offer: Ok(offer),
        })
        .collect();
    let outcome = catalogue
        .import_rows(
            Box::new(rows.into_iter()),
            true,
            std::sync::Arc::new(|_| {}),
        )
        .await?;
    for p in outcome.check.problems.iter().take(5) {
        tracing::warn!("demo offer refused: {p}");
    }
    tracing::info!(
        offers = outcome.summary.created,
        ms = started.elapsed().as_millis() as u64,
        "demo catalogue loaded"
    );
    Ok(())
}

/// Index what the database has and the index lacks: at start (after a crash, a lost index or
/// an import by the command line) and then every few seconds.
async fn keep_index_in_sync(catalogue: Catalogue) {
    let mut tick = tokio::time::interval(Duration::from_secs(INDEX_SYNC_SECS));
    loop {
        tick.tick().await;
        match catalogue.sync_index().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(offers = n, "search index caught up"),
            Err(e) => tracing::warn!(error = %e, "search index sync failed"),
        }
    }
}

/// Plans the calendar's jobs (payout runs, yearly deposits) and runs due background jobs (a
/// window's draw, …) every few seconds; several servers on one PostgreSQL database share the
/// work without taking the same job.
async fn run_jobs(jobs: leerpad_app::jobs::Jobs) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = jobs.plan_calendar().await {
            tracing::warn!(error = %e, "could not plan the calendar's jobs");
        }
        if let Err(e) = jobs.run_due().await {
            tracing::warn!(error = %e, "could not run background jobs");
        }
    }
}

/// Mails the outbox's messages every few seconds (several servers share the work: each
/// message is taken by one).
async fn deliver_mail(
    mailbox: leerpad_app::mail::Mailbox,
    smtp: leerpad_web::Smtp,
    texts: leerpad_web::MailTexts,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    loop {
        tick.tick().await;
        match mailbox.deliver_due(&smtp, &texts).await {
            Ok(d) if d.sent + d.retrying + d.given_up > 0 => tracing::info!(
                sent = d.sent,
                retrying = d.retrying,
                given_up = d.given_up,
                "mail delivered"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not deliver mail"),
        }
    }
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

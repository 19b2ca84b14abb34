//! Opening the parts every data command needs: configuration, database, taxonomy, regions,
//! search index, and every use case through `Services::new`.

use super::open_store;
use crate::config::Config;
use anyhow::Context;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_app::{Adapters, Services};
use leerpad_domain::clock::{Clock, SystemClock};
use leerpad_domain::ports::Store;
use leerpad_search::{Opened, SearchIndex};
use leerpad_storage::SqlStore;
use std::sync::Arc;

pub struct Platform {
    pub config: Config,
    pub sql: SqlStore,
    pub index: Arc<SearchIndex>,
    /// Every use case, wired once (the same wiring as the web state and the tests).
    pub services: Services,
}

/// How the search index is opened.
#[derive(Debug, Clone, Copy)]
pub struct IndexOptions {
    /// Memory per index write; more for bulk imports.
    pub writer_memory: usize,
}

impl IndexOptions {
    /// For bulk writes (imports, rebuilding the index): 400 MiB per write.
    pub const BULK: IndexOptions = IndexOptions {
        writer_memory: 400 * 1024 * 1024,
    };
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            writer_memory: 64 * 1024 * 1024,
        }
    }
}

impl Platform {
    pub async fn open(config: Config, options: IndexOptions) -> anyhow::Result<Platform> {
        let sql = open_store(&config).await?;
        let store: Arc<dyn Store> = Arc::new(sql.clone());
        let clock: Arc<dyn Clock> = if config.clock_offset_days == 0 {
            Arc::new(SystemClock)
        } else {
            tracing::warn!(
                days = config.clock_offset_days,
                "the clock runs ahead of the real date (clock_offset_days): a rehearsal, not production"
            );
            Arc::new(leerpad_domain::clock::OffsetClock(
                config.clock_offset_days.saturating_mul(86_400),
            ))
        };
        let taxonomy = Arc::new(load_taxonomy(store.as_ref(), clock.now()).await?);
        let regions = Arc::new(leerpad_formats::regions::bundled());
        let dir = config.index_dir();
        let (mut index, opened) = SearchIndex::open(&dir, &regions)
            .with_context(|| format!("opening the search index in {}", dir.display()))?;
        index.set_writer_memory(options.writer_memory);
        match opened {
            Opened::Existing => {}
            Opened::Created => tracing::info!("search index created in {}", dir.display()),
            Opened::Recreated => tracing::warn!(
                "search index in {} was damaged or outdated: rebuilding it from the database",
                dir.display()
            ),
        }
        let index = Arc::new(index);
        let services = Services::new(Adapters {
            store,
            index: index.clone(),
            taxonomy,
            regions,
            clock,
            accounts: config.accounts(),
            chat_bus: leerpad_storage::chat_bus(&sql).await?,
            chat: leerpad_app::chat::ChatConfig::default(),
        });
        services.matching.reload_demand().await?;
        Ok(Platform {
            config,
            sql,
            index,
            services,
        })
    }
}

/// The imported taxonomy if there is one, else the bundled copy (stored on first start so
/// other tables can refer to its concepts).
pub async fn load_taxonomy(store: &dyn Store, now: i64) -> anyhow::Result<TaxonomyService> {
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
    let senses = leerpad_esco::bundled_senses().context("loading the bundled word senses")?;
    let service = tokio::task::spawn_blocking(move || {
        TaxonomyService::new(data, &leerpad_esco::bundled_job_offers()).with_senses(senses)
    })
    .await?;
    tracing::info!(
        skills = service.taxonomy.skills().len(),
        occupations = service.taxonomy.occupations().len(),
        ms = started.elapsed().as_millis() as u64,
        "taxonomy ready"
    );
    Ok(service)
}

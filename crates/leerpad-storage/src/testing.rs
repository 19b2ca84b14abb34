//! Fresh, migrated databases on every available engine, for tests.
//!
//! SQLite always runs (a file in a temporary directory). PostgreSQL runs when the server named
//! by `LEERPAD_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`) answers;
//! each test database is its own schema, so parallel tests and parallel CI runs never collide.
//! Where no server answers the PostgreSQL cases are skipped with a printed reason, except under
//! `CI=true`, where they must run and a missing server fails the test.

use crate::db::{ConnectOptions, SqlStore};
use sqlx::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA_PREFIX: &str = "lp_test_";

/// A migrated, empty database. It is removed again by [`TestDb::cleanup`], or when it is
/// dropped: a test that fails an assertion leaves no schema behind.
#[derive(Debug)]
pub struct TestDb {
    pub store: SqlStore,
    /// The URL the store was opened with (for tests that start a second process on it).
    pub url: String,
    /// PostgreSQL schema holding the tables, if any.
    pub schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn engine(&self) -> &'static str {
        self.store.engine_kind().name()
    }

    /// Write an award the way versions before the ledger did (only its record), to test that
    /// such awards are moved into the ledger.
    pub async fn insert_award_without_ledger(
        &self,
        scheme_id: i64,
        user_id: Option<i64>,
        amount_cents: i64,
        spent: bool,
    ) -> i64 {
        let (id,): (i64,) = self
            .store
            .fetch_one(
                crate::db::Sql::new(
                    "INSERT INTO scheme_awards (scheme_id, user_id, offer_id, amount_cents, state, \
                     awarded_on, created_at) VALUES ($1, $2, NULL, $3, $4, '2026-01-05', 1) RETURNING id",
                )
                .arg(scheme_id)
                .arg(user_id)
                .arg(amount_cents)
                .arg(if spent { "spent" } else { "reserved" }),
            )
            .await
            .expect("a pre-ledger award");
        id
    }

    /// Close the pool and drop the PostgreSQL schema (the SQLite directory goes with `self`).
    pub async fn cleanup(mut self) {
        self.store.close().await;
        if let Some(schema) = self.schema.take() {
            drop_schema(&self.url, &schema).await;
        }
    }
}

async fn drop_schema(url: &str, schema: &str) {
    if let Ok(mut conn) = sqlx::PgConnection::connect(url).await {
        let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&mut conn)
            .await;
    }
}

impl Drop for TestDb {
    /// A test that panicked never reached `cleanup`: drop its schema here, on a thread of its
    /// own with its own runtime (`Drop` cannot await, and may run inside or outside one).
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else {
            return;
        };
        let url = self.url.clone();
        let cleaner = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(drop_schema(&url, &schema));
            }
        });
        let _ = cleaner.join();
    }
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut random = [0u8; 4];
    let _ = getrandom::fill(&mut random);
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "{secs}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        u32::from_le_bytes(random)
    )
}

/// A fresh SQLite database in a temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary directory for a test database");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = SqlStore::connect(&url, &ConnectOptions::default())
        .await
        .expect("open SQLite test database");
    store.migrate().await.expect("migrate SQLite test database");
    TestDb {
        store,
        url,
        schema: None,
        _dir: Some(dir),
    }
}

/// A fresh schema on the test PostgreSQL server, or `None` (with the reason printed) when no
/// server answers outside CI.
pub async fn postgres() -> Option<TestDb> {
    let url =
        std::env::var("LEERPAD_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into());
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let reachable =
        tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(&url)).await;
    match reachable {
        Ok(Ok(mut conn)) => {
            drop_stale_schemas(&mut conn).await;
            let _ = conn.close().await;
        }
        Ok(Err(e)) if !in_ci => {
            eprintln!("skipping PostgreSQL cases: cannot connect to {url}: {e}");
            return None;
        }
        Err(_) if !in_ci => {
            eprintln!("skipping PostgreSQL cases: {url} did not answer within 5 s");
            return None;
        }
        Ok(Err(e)) => panic!("CI=true requires PostgreSQL at {url}: {e}"),
        Err(_) => panic!("CI=true requires PostgreSQL at {url}: no answer within 5 s"),
    }
    let schema = format!("{SCHEMA_PREFIX}{}", unique_suffix());
    let options = ConnectOptions {
        max_connections: 8,
        schema: Some(schema.clone()),
    };
    let store = SqlStore::connect(&url, &options)
        .await
        .expect("open PostgreSQL test schema");
    store
        .migrate()
        .await
        .expect("migrate PostgreSQL test schema");
    Some(TestDb {
        store,
        url,
        schema: Some(schema),
        _dir: None,
    })
}

/// Every engine available here: SQLite, and PostgreSQL when reachable.
pub async fn all_engines() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    dbs.extend(postgres().await);
    dbs
}

/// Schemas left by test runs that crashed more than an hour ago.
async fn drop_stale_schemas(conn: &mut sqlx::PgConnection) {
    let cutoff = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs().saturating_sub(3600))
        .unwrap_or(0);
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'lp\\_test\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for (name,) in names {
        let created = name
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|s| s.parse::<u64>().ok());
        if created.is_some_and(|t| t < cutoff) {
            let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                .execute(&mut *conn)
                .await;
        }
    }
}

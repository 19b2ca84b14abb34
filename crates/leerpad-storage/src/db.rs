//! Connections, migrations and the engine-neutral query helpers.

use async_trait::async_trait;
use leerpad_domain::ports::{Store, StoreError, StoreResult};
use leerpad_domain::shared::{
    AccountId, JobId, Money, OfferId, ProgrammeId, ProviderId, RegistrationId, SchemeId,
    TransferId, UserId,
};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{FromRow, PgConnection, Postgres, Sqlite, SqliteConnection};
use std::str::FromStr;
use std::time::Duration;

/// The database engine behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Which engine a database URL names.
    pub fn of_url(url: &str) -> Result<Engine, ConnectError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else {
            Err(ConnectError::UnsupportedUrl(redact(url)))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "unsupported database URL '{0}': use sqlite://FILE (embedded) or postgres://USER@HOST/DB"
    )]
    UnsupportedUrl(String),
    #[error("could not open database '{url}': {source}")]
    Open {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("could not apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Tuning for the connection pool.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// PostgreSQL only: keep all tables in this schema (created if missing). Lets several
    /// installations, or test runs, share one database.
    pub schema: Option<String>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 16,
            schema: None,
        }
    }
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The storage adapter: one handle, cheap to clone, on either engine.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: Pool,
}

/// Hide the password in a URL before it goes into an error message or a log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl SqlStore {
    /// Open the database a URL names. SQLite files are created when missing and run in WAL
    /// mode with foreign keys on; PostgreSQL must exist.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<SqlStore, ConnectError> {
        let open_err = |source| ConnectError::Open {
            url: redact(url),
            source,
        };
        let pool = match Engine::of_url(url)? {
            Engine::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(open_err)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new()
                    .max_connections(options.max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
                    .map_err(open_err)?;
                Pool::Sqlite(pool)
            }
            Engine::Postgres => {
                let mut opts = PgConnectOptions::from_str(url).map_err(open_err)?;
                if let Some(schema) = &options.schema {
                    create_schema(opts.clone(), schema)
                        .await
                        .map_err(open_err)?;
                    opts = opts.options([("search_path", schema.as_str())]);
                }
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
                    .map_err(open_err)?;
                Pool::Postgres(pool)
            }
        };
        Ok(SqlStore { pool })
    }

    /// The PostgreSQL pool, for what needs its own connection (LISTEN).
    pub(crate) fn pg_pool(&self) -> Option<&PgPool> {
        match &self.pool {
            Pool::Postgres(p) => Some(p),
            Pool::Sqlite(_) => None,
        }
    }

    pub fn engine_kind(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Apply the engine's pending migrations; safe to run on every start.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    /// A pooled connection for one or more statements.
    pub(crate) async fn conn(&self) -> StoreResult<Conn> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await.map_err(backend)?),
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await.map_err(backend)?),
        })
    }

    /// A transaction; on SQLite it takes the write lock up front (`BEGIN IMMEDIATE`) so two
    /// writers queue on the busy timeout instead of failing halfway.
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await.map_err(backend)?),
        })
    }

    /// Run one statement on a pooled connection.
    pub(crate) async fn fetch_optional<T: Decode>(&self, sql: Sql) -> StoreResult<Option<T>> {
        self.conn().await?.exec().fetch_optional(sql).await
    }

    pub(crate) async fn fetch_one<T: Decode>(&self, sql: Sql) -> StoreResult<T> {
        self.conn().await?.exec().fetch_one(sql).await
    }

    pub(crate) async fn fetch_all<T: Decode>(&self, sql: Sql) -> StoreResult<Vec<T>> {
        self.conn().await?.exec().fetch_all(sql).await
    }

    pub(crate) async fn execute(&self, sql: Sql) -> StoreResult<u64> {
        self.conn().await?.exec().execute(sql).await
    }
}

/// The store as a whole: which engine it runs on, and whether it answers.
#[async_trait]
impl Store for SqlStore {
    fn engine(&self) -> &'static str {
        self.engine_kind().name()
    }

    async fn ping(&self) -> StoreResult<()> {
        let (_one,): (i64,) = self.fetch_one(Sql::new("SELECT CAST(1 AS BIGINT)")).await?;
        Ok(())
    }
}

async fn create_schema(opts: PgConnectOptions, schema: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    if !schema
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        || schema.is_empty()
    {
        return Err(sqlx::Error::Configuration(
            format!("schema name '{schema}' may only contain letters, digits and '_'").into(),
        ));
    }
    let mut conn = PgConnection::connect_with(&opts).await?;
    sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// Map a driver error to the domain's storage error.
/// A stored value that does not read back as what was written (a bug or a hand edit).
pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("stored {what} cannot be read: {e}"))
}

pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

/// A row type both engines can decode.
pub(crate) trait Decode:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Decode for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A bind argument; the few types Leerpad stores, each encodable on both engines.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Vec<u8>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
/// Typed ids are stored as their integer keys.
macro_rules! id_args {
    ($($id:ty),+) => {$(
        impl From<$id> for Arg {
            fn from(v: $id) -> Self {
                Arg::Int(Some(v.get()))
            }
        }

        impl From<Option<$id>> for Arg {
            fn from(v: Option<$id>) -> Self {
                Arg::Int(v.map(<$id>::get))
            }
        }
    )+};
}

id_args!(
    UserId,
    OfferId,
    ProviderId,
    SchemeId,
    ProgrammeId,
    RegistrationId,
    JobId,
    AccountId,
    TransferId
);

/// Amounts are stored as whole cents.
impl From<Money> for Arg {
    fn from(v: Money) -> Self {
        Arg::Int(Some(v.cents()))
    }
}

impl From<Option<Money>> for Arg {
    fn from(v: Option<Money>) -> Self {
        Arg::Int(v.map(Money::cents))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Self {
        Arg::Bytes(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}

/// A statement with its arguments, written once with `$1, $2, …` placeholders.
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Sql {
            text: text.into(),
            args: Vec::new(),
        }
    }

    pub(crate) fn arg(mut self, a: impl Into<Arg>) -> Self {
        self.args.push(a.into());
        self
    }
}

pub(crate) enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Conn {
    pub(crate) fn exec(&mut self) -> Exec<'_> {
        match self {
            Conn::Sqlite(c) => Exec::Sqlite(c),
            Conn::Postgres(c) => Exec::Postgres(c),
        }
    }
}

pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) fn exec(&mut self) -> Exec<'_> {
        match self {
            Tx::Sqlite(t) => Exec::Sqlite(t),
            Tx::Postgres(t) => Exec::Postgres(t),
        }
    }

    /// Serialise this transaction with every other one that locks any of `keys`, until it
    /// ends: the way to make "count, decide, then write" one step. SQLite transactions are
    /// already serial (`BEGIN IMMEDIATE`); PostgreSQL takes transaction-scoped advisory locks,
    /// in sorted order so two transactions locking the same keys cannot deadlock.
    pub(crate) async fn lock_keys(&mut self, keys: &[&str]) -> StoreResult<()> {
        if let Tx::Postgres(_) = self {
            let mut sorted: Vec<&str> = keys.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            for key in sorted {
                self.exec()
                    .execute(
                        Sql::new("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").arg(key),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// Let this transaction's commit return before its record reaches the disk (PostgreSQL's
    /// `synchronous_commit = off`, for this transaction only). Only for writes whose loss in a
    /// crash harms nobody, such as when a token was last used: a crash can lose at most the
    /// last fraction of a second of them, never corrupt anything, and the request does not
    /// wait for a disk flush. SQLite's commits are unchanged.
    pub(crate) async fn without_waiting_for_disk(&mut self) -> StoreResult<()> {
        if let Tx::Postgres(_) = self {
            self.exec()
                .execute(Sql::new("SET LOCAL synchronous_commit = off"))
                .await?;
        }
        Ok(())
    }

    /// `FOR UPDATE` on PostgreSQL (row locks until the transaction ends); nothing on SQLite,
    /// whose write transactions hold the whole database.
    pub(crate) fn for_update(&self) -> &'static str {
        match self {
            Tx::Sqlite(_) => "",
            Tx::Postgres(_) => " FOR UPDATE",
        }
    }

    /// ` FOR UPDATE SKIP LOCKED` on PostgreSQL, for taking one of many rows that other
    /// transactions may be taking at the same time (a job queue); nothing on SQLite.
    pub(crate) fn skip_locked(&self) -> &'static str {
        match self {
            Tx::Sqlite(_) => "",
            Tx::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        }
    }

    pub(crate) async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await.map_err(backend),
            Tx::Postgres(t) => t.commit().await.map_err(backend),
        }
    }

    /// Roll back now and return `error`: for refusing inside a transaction.
    pub(crate) async fn fail<T>(self, error: StoreError) -> StoreResult<T> {
        self.rollback().await?;
        Err(error)
    }

    /// End without writing, now. (A transaction that is only dropped is rolled back when its
    /// connection is next used, holding its locks until then.)
    pub(crate) async fn rollback(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await.map_err(backend),
            Tx::Postgres(t) => t.rollback().await.map_err(backend),
        }
    }
}

/// A borrowed connection of either engine, on which statements run.
pub(crate) enum Exec<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

impl Exec<'_> {
    pub(crate) async fn fetch_optional<T: Decode>(self, sql: Sql) -> StoreResult<Option<T>> {
        match self {
            Exec::Sqlite(c) => {
                bind_all!(sqlx::query_as::<Sqlite, T>(&sql.text), sql.args)
                    .fetch_optional(c)
                    .await
            }
            Exec::Postgres(c) => {
                bind_all!(sqlx::query_as::<Postgres, T>(&sql.text), sql.args)
                    .fetch_optional(c)
                    .await
            }
        }
        .map_err(backend)
    }

    pub(crate) async fn fetch_one<T: Decode>(self, sql: Sql) -> StoreResult<T> {
        match self {
            Exec::Sqlite(c) => {
                bind_all!(sqlx::query_as::<Sqlite, T>(&sql.text), sql.args)
                    .fetch_one(c)
                    .await
            }
            Exec::Postgres(c) => {
                bind_all!(sqlx::query_as::<Postgres, T>(&sql.text), sql.args)
                    .fetch_one(c)
                    .await
            }
        }
        .map_err(backend)
    }

    pub(crate) async fn fetch_all<T: Decode>(self, sql: Sql) -> StoreResult<Vec<T>> {
        match self {
            Exec::Sqlite(c) => {
                bind_all!(sqlx::query_as::<Sqlite, T>(&sql.text), sql.args)
                    .fetch_all(c)
                    .await
            }
            Exec::Postgres(c) => {
                bind_all!(sqlx::query_as::<Postgres, T>(&sql.text), sql.args)
                    .fetch_all(c)
                    .await
            }
        }
        .map_err(backend)
    }

    pub(crate) async fn execute(self, sql: Sql) -> StoreResult<u64> {
        match self {
            Exec::Sqlite(c) => bind_all!(sqlx::query::<Sqlite>(&sql.text), sql.args)
                .execute(c)
                .await
                .map(|r| r.rows_affected()),
            Exec::Postgres(c) => bind_all!(sqlx::query::<Postgres>(&sql.text), sql.args)
                .execute(c)
                .await
                .map(|r| r.rows_affected()),
        }
        .map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_engine() {
        assert_eq!(
            Engine::of_url("sqlite://leerpad.db").ok(),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::of_url("postgres://u@h/db").ok(),
            Some(Engine::Postgres)
        );
        assert!(Engine::of_url("mysql://u@h/db").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}

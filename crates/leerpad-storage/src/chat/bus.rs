//! The chat bus: on SQLite the servers are one process, so a broadcast channel; on PostgreSQL
//! `NOTIFY` on a channel of the database (per schema), which every server `LISTEN`s to and
//! passes on to its own connections. Signals carry ids, never messages: a connection reads the
//! message from the table. When the listening connection drops, every connection is told to
//! read again (`Resync`), so nothing sent meanwhile is missed.

use crate::db::SqlStore;
use async_trait::async_trait;
use leerpad_domain::chat::ports::{ChatBus, ChatSignal, ChatSubscription};
use leerpad_domain::ports::{StoreError, StoreResult};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Signals a connection may fall behind by before it is told to read everything again.
const BUFFER: usize = 8_192;
/// PostgreSQL refuses payloads of 8,000 bytes or more; larger signals go through
/// `chat_signals` and the notification carries their id.
const MAX_PAYLOAD: usize = 7_900;
/// The largest signal at all (a video call's session description is a few KiB).
const MAX_SIGNAL: usize = 64 * 1024;
/// Stored signals older than this are removed.
const KEEP_STORED_SECS: i64 = 600;

/// What a notification carries: a signal, or where a large one is stored.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum Envelope {
    Stored { stored: i64 },
    Signal(ChatSignal),
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The bus for the store's engine (one per server process).
pub async fn chat_bus(store: &SqlStore) -> StoreResult<Arc<dyn ChatBus>> {
    match store.pg_pool() {
        None => Ok(Arc::new(LocalBus::new())),
        Some(pool) => Ok(Arc::new(PgBus::start(pool.clone()).await?)),
    }
}

/// Within one process.
#[derive(Clone)]
pub struct LocalBus {
    tx: broadcast::Sender<ChatSignal>,
}

impl LocalBus {
    pub fn new() -> LocalBus {
        let (tx, _) = broadcast::channel(BUFFER);
        LocalBus { tx }
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        LocalBus::new()
    }
}

struct Receiver(broadcast::Receiver<ChatSignal>);

#[async_trait]
impl ChatSubscription for Receiver {
    async fn next(&mut self) -> Option<ChatSignal> {
        match self.0.recv().await {
            Ok(signal) => Some(signal),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(ChatSignal::Resync),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

#[async_trait]
impl ChatBus for LocalBus {
    async fn publish(&self, signal: &ChatSignal) -> StoreResult<()> {
        // Nobody listening is not an error.
        let _ = self.tx.send(signal.clone());
        Ok(())
    }

    fn subscribe(&self) -> Box<dyn ChatSubscription> {
        Box::new(Receiver(self.tx.subscribe()))
    }
}

/// Across servers on one PostgreSQL database.
pub struct PgBus {
    pool: PgPool,
    channel: String,
    local: LocalBus,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgBus {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PgBus {
    /// Listen on the channel of the pool's schema, and keep listening (reconnecting) until
    /// dropped.
    pub async fn start(pool: PgPool) -> StoreResult<PgBus> {
        let (schema,): (String,) = sqlx::query_as("SELECT current_schema()::text")
            .fetch_one(&pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let channel: String = format!("leerpad_chat_{schema}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(63)
            .collect();
        let local = LocalBus::new();
        let mut listener = PgListener::connect_with(&pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        listener
            .listen(&channel)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let task = tokio::spawn(listen(
            listener,
            pool.clone(),
            channel.clone(),
            local.clone(),
        ));
        Ok(PgBus {
            pool,
            channel,
            local,
            listener: task,
        })
    }
}

/// A signal from a notification, reading a stored one from its table.
async fn unpack(pool: &PgPool, payload: &str) -> Result<ChatSignal, String> {
    match serde_json::from_str::<Envelope>(payload).map_err(|e| e.to_string())? {
        Envelope::Signal(signal) => Ok(signal),
        Envelope::Stored { stored } => {
            let (text,): (String,) =
                sqlx::query_as("SELECT payload FROM chat_signals WHERE id = $1")
                    .bind(stored)
                    .fetch_one(pool)
                    .await
                    .map_err(|e| e.to_string())?;
            serde_json::from_str(&text).map_err(|e| e.to_string())
        }
    }
}

async fn listen(mut listener: PgListener, pool: PgPool, channel: String, local: LocalBus) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => match unpack(&pool, n.payload()).await {
                Ok(signal) => {
                    let _ = local.tx.send(signal);
                }
                Err(e) => tracing::warn!(error = %e, "unreadable chat signal"),
            },
            // The connection was lost; the next call reconnects and listens again. What was
            // notified meanwhile is gone, so everyone reads again from the tables.
            Ok(None) => {
                tracing::warn!(%channel, "chat bus connection lost; reconnecting");
                let _ = local.tx.send(ChatSignal::Resync);
            }
            // The pool is closing (the server stops): give the connection back and end.
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, %channel, "chat bus error");
                let _ = local.tx.send(ChatSignal::Resync);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[async_trait]
impl ChatBus for PgBus {
    async fn publish(&self, signal: &ChatSignal) -> StoreResult<()> {
        let backend = |e: sqlx::Error| StoreError::Backend(e.to_string());
        let mut payload =
            serde_json::to_string(signal).map_err(|e| StoreError::Backend(e.to_string()))?;
        if payload.len() > MAX_SIGNAL {
            return Err(StoreError::Refused(format!(
                "a signal of {} bytes is too large (at most {MAX_SIGNAL})",
                payload.len()
            )));
        }
        if payload.len() > MAX_PAYLOAD {
            let now = unix_now();
            sqlx::query("DELETE FROM chat_signals WHERE created_at < $1")
                .bind(now - KEEP_STORED_SECS)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
            let (stored,): (i64,) = sqlx::query_as(
                "INSERT INTO chat_signals (payload, created_at) VALUES ($1, $2) RETURNING id",
            )
            .bind(&payload)
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
            payload = serde_json::to_string(&Envelope::Stored { stored })
                .map_err(|e| StoreError::Backend(e.to_string()))?;
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(&self.channel)
            .bind(payload)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    fn subscribe(&self) -> Box<dyn ChatSubscription> {
        self.local.subscribe()
    }
}

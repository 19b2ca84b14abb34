//! Sign-in throttling: failed attempts counted per account and per address, addresses trusted
//! after a successful sign-in, the check and the count in one transaction.

use crate::db::{Sql, SqlStore, Tx};
use async_trait::async_trait;
use leerpad_domain::accounts::ports::{LoginAttempt, LoginAttemptStore, LoginGate, LoginKeys};
use leerpad_domain::accounts::throttle::{AttemptCounts, ThrottlePolicy, ThrottleVerdict};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::StoreResult;

fn count_failures_sql(key: &str, since: UnixTime) -> Sql {
    Sql::new("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2")
        .arg(key)
        .arg(since)
}

async fn count_failures(tx: &mut Tx, key: &str, since: UnixTime) -> StoreResult<i64> {
    let (n,): (i64,) = tx.exec().fetch_one(count_failures_sql(key, since)).await?;
    Ok(n)
}

#[async_trait]
impl LoginAttemptStore for SqlStore {
    async fn begin_login_attempt(
        &self,
        keys: &LoginKeys,
        policy: &ThrottlePolicy,
        now: UnixTime,
    ) -> StoreResult<LoginGate> {
        let since = policy.window_start(now);
        let mut tx = self.begin().await?;
        tx.lock_keys(&[keys.account.as_str(), keys.ip.as_str()])
            .await?;
        let (trusted,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new("SELECT COUNT(*) FROM login_sign_ins WHERE ip_key = $1 AND at > $2")
                    .arg(keys.ip.as_str())
                    .arg(since),
            )
            .await?;
        let counts = AttemptCounts {
            account_failures: count_failures(&mut tx, &keys.account, since).await?,
            ip_failures: count_failures(&mut tx, &keys.ip, since).await?,
            ip_trusted_accounts: trusted,
        };
        if let ThrottleVerdict::Locked { retry_after_secs } = policy.verdict(counts) {
            return Ok(LoginGate::Locked { retry_after_secs });
        }
        let mut failure_ids = Vec::with_capacity(2);
        for key in [&keys.account, &keys.ip] {
            let (id,): (i64,) = tx
                .exec()
                .fetch_one(
                    Sql::new("INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id")
                        .arg(key.as_str())
                        .arg(now),
                )
                .await?;
            failure_ids.push(id);
        }
        tx.commit().await?;
        Ok(LoginGate::Open(LoginAttempt {
            keys: keys.clone(),
            failure_ids,
        }))
    }

    async fn login_succeeded(&self, attempt: &LoginAttempt, now: UnixTime) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for id in &attempt.failure_ids {
            tx.exec()
                .execute(Sql::new("DELETE FROM login_failures WHERE id = $1").arg(*id))
                .await?;
        }
        tx.exec()
            .execute(
                Sql::new("DELETE FROM login_failures WHERE key = $1")
                    .arg(attempt.keys.account.as_str()),
            )
            .await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO login_sign_ins (ip_key, account_key, at) VALUES ($1, $2, $3) \
                     ON CONFLICT (ip_key, account_key) DO UPDATE SET at = excluded.at",
                )
                .arg(attempt.keys.ip.as_str())
                .arg(attempt.keys.account.as_str())
                .arg(now),
            )
            .await?;
        tx.commit().await
    }

    async fn count_login_failures(&self, key: &str, since: UnixTime) -> StoreResult<i64> {
        let (n,): (i64,) = self.fetch_one(count_failures_sql(key, since)).await?;
        Ok(n)
    }

    async fn prune_login_failures(&self, before: UnixTime) -> StoreResult<u64> {
        let failures = self
            .execute(Sql::new("DELETE FROM login_failures WHERE at < $1").arg(before))
            .await?;
        let sign_ins = self
            .execute(Sql::new("DELETE FROM login_sign_ins WHERE at < $1").arg(before))
            .await?;
        Ok(failures + sign_ins)
    }
}

//! Durable jobs: a key is planned once; concurrent workers never claim the same job while its
//! lease lasts; a job whose worker died is taken again after the lease; failures retry or stop.

use leerpad_domain::jobs::ports::NewJob;
use leerpad_domain::ports::Store;
use std::collections::BTreeSet;
use std::sync::Arc;

fn job<'a>(key: &'a str, run_at: i64) -> NewJob<'a> {
    NewJob {
        kind: "story",
        key,
        payload: "{}",
        run_at,
    }
}

pub async fn jobs_story(store: Arc<dyn Store>) {
    assert!(store.enqueue(job("story:a", 100), 1).await.expect("plan"));
    assert!(
        !store
            .enqueue(job("story:a", 50), 2)
            .await
            .expect("plan again")
    );
    for i in 0..30 {
        let key = format!("story:many:{i}");
        assert!(store.enqueue(job(&key, 100 + i), 3).await.expect("plan"));
    }
    // Nothing is due before its time.
    assert!(store.claim(99, 200).await.expect("claim").is_none());

    // Eight workers at once take every due job exactly once.
    let mut workers = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(j) = store.claim(1_000, 2_000).await.expect("claim") {
                got.push(j.key);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (31, 31), "{all:?}");

    let many = store.jobs("story:many:").await.expect("list");
    assert_eq!(many.len(), 30);
    for j in &many {
        store.finish(j.id, 1_500).await.expect("finish");
    }

    // A worker died holding "story:a": after the lease it is taken again, a second attempt.
    let jobs = store.jobs("story:a").await.expect("list");
    assert_eq!(jobs.len(), 1);
    assert!(store.claim(1_999, 3_000).await.expect("claim").is_none());
    let again = store.claim(2_000, 3_000).await.expect("claim");
    let first_back = again.expect("lease ran out");
    assert_eq!(
        (first_back.key.as_str(), first_back.attempts),
        ("story:a", 2)
    );

    // Failing with a retry plans it again; failing for good stops it; done is done.
    store
        .fail(first_back.id, "mail server down", Some(2_500))
        .await
        .expect("fail");
    let retried = store
        .claim(2_500, 3_000)
        .await
        .expect("claim")
        .expect("due");
    assert_eq!((retried.id, retried.attempts), (first_back.id, 3));
    store
        .fail(retried.id, "still down", None)
        .await
        .expect("give up");
    let a = store.jobs("story:a").await.expect("list");
    assert_eq!(a[0].state, "failed");
    assert_eq!(a[0].last_error.as_deref(), Some("still down"));
    // Done jobs and a failed one are never claimed again, whatever the time.
    assert!(
        store
            .claim(1_000_000, 1_000_100)
            .await
            .expect("claim")
            .is_none()
    );
}

//! The outbox: a message is written once per key, read back in its own form, marked delivered
//! or failed, and goes with the account.

use super::account;
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::NewMessage;
use leerpad_domain::ports::Store;
use leerpad_domain::role::Role;

pub async fn mail_story(store: &dyn Store) {
    let person = account(store, "post@example.nl", &[Role::Learner]).await;
    let message = Message::PlaceFromWaitlist {
        programme: "limburg".into(),
        title: "Ontwikkeladvies Limburg".into(),
    };
    let new = |key: &'static str| NewMessage {
        key,
        user_id: person.id,
        to: "post@example.nl",
        lang: "nl",
        message: &message,
        at: 10,
    };
    assert!(store.enqueue_message(new("place:1")).await.expect("write"));
    assert!(!store.enqueue_message(new("place:1")).await.expect("again"));
    assert!(store.enqueue_message(new("place:2")).await.expect("write"));
    // A worker takes both until its lease ends; another worker gets nothing meanwhile.
    let waiting = store.claim_undelivered(30, 90, 10).await.expect("claim");
    assert_eq!(waiting.len(), 2);
    assert_eq!(waiting[0].message, message);
    assert!(waiting[0].id < waiting[1].id);
    assert!(
        store
            .claim_undelivered(31, 91, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    store
        .mark_failed(waiting[0].id, "mail server down", 40, Some(100))
        .await
        .expect("fail");
    store.mark_delivered(waiting[1].id, 40).await.expect("sent");
    // The failed one is tried again at its time, the delivered one never.
    assert!(
        store
            .claim_undelivered(99, 160, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let again = store.claim_undelivered(100, 160, 10).await.expect("claim");
    assert_eq!(again.len(), 1);
    assert_eq!(
        (again[0].attempts, again[0].last_error.as_deref()),
        (1, Some("mail server down"))
    );
    // Given up: kept, never taken again.
    store
        .mark_failed(again[0].id, "no such mailbox", 110, None)
        .await
        .expect("give up");
    assert!(
        store
            .claim_undelivered(10_000, 10_060, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let mine = store.messages_of(person.id, 10).await.expect("mine");
    let given_up = mine.iter().find(|m| m.id == again[0].id).expect("kept");
    assert_eq!(
        (given_up.given_up_at, given_up.attempts, given_up.sent_at),
        (Some(110), 2, None)
    );
    assert_eq!(
        store.messages_of(person.id, 10).await.expect("mine").len(),
        2
    );
    assert!(store.recent_messages(10).await.expect("all").len() >= 2);
    store.delete_user(person.id).await.expect("delete");
    assert!(
        store
            .messages_of(person.id, 10)
            .await
            .expect("mine")
            .is_empty()
    );
}

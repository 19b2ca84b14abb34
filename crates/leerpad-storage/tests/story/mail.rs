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
    let waiting = store.undelivered(10).await.expect("undelivered");
    assert_eq!(waiting.len(), 2);
    assert_eq!(waiting[0].message, message);
    store
        .mark_failed(waiting[0].id, "mail server down")
        .await
        .expect("fail");
    store.mark_delivered(waiting[1].id, 20).await.expect("sent");
    let left = store.undelivered(10).await.expect("undelivered");
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].attempts, left[0].last_error.as_deref()),
        (1, Some("mail server down"))
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

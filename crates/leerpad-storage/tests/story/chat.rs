//! Chat: questions wait in order until an advisor is on duty, go to the least busy advisor
//! under their limit, messages come back in order after an id and once per client key, a
//! closed conversation takes no messages, and the bus carries signals between two listeners
//! (two "servers") on the same database.

use super::account;
use leerpad_domain::advice::ports::ProgrammeStatus;
use leerpad_domain::chat::ConversationStatus;
use leerpad_domain::chat::ports::{ChatSignal, Duty, NewChatMessage, NewConversation};
use leerpad_domain::ports::{Store, StoreError};
use leerpad_domain::role::Role;
use leerpad_storage::testing::TestDb;
use std::time::Duration;

pub async fn chat_story(db: &TestDb) {
    let store: &dyn Store = &db.store;
    let anna = account(store, "chat-anna@example.nl", &[Role::Learner]).await;
    let bram = account(store, "chat-bram@example.nl", &[Role::Learner]).await;
    let fatima = account(store, "chat-fatima@example.nl", &[Role::Advisor]).await;
    let jeroen = account(store, "chat-jeroen@example.nl", &[Role::Advisor]).await;
    let question = |learner, at| NewConversation {
        learner_id: learner,
        programme_id: None,
        appointment: None,
        advisor: None,
        subject: "Welke opleiding past bij mij?",
        after_hours: false,
        at,
    };

    let duty = |advisor, limit, programmes, at| Duty {
        advisor,
        limit,
        until: 1_000,
        programmes,
        at,
    };

    // Nobody on duty: both wait, in order.
    let first = store
        .start_conversation(question(anna.id, 10))
        .await
        .expect("start");
    let second = store
        .start_conversation(question(bram.id, 11))
        .await
        .expect("start");
    assert_eq!(first.status, ConversationStatus::Waiting);
    let queue = store.waiting_conversations().await.expect("queue");
    assert_eq!(
        queue.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![first.id, second.id]
    );
    // Fatima comes on duty with room for one: she takes the oldest.
    let given = store
        .go_on_duty(duty(fatima.id, 1, None, 20))
        .await
        .expect("on duty");
    assert_eq!(given.len(), 1);
    assert_eq!(given[0].id, first.id);
    assert_eq!(given[0].advisor_id, Some(fatima.id));
    // Jeroen comes on duty: he takes the next; a new question goes to whoever has room.
    let given = store
        .go_on_duty(duty(jeroen.id, 2, None, 21))
        .await
        .expect("on duty");
    assert_eq!(
        given.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![second.id]
    );
    let third = store
        .start_conversation(question(anna.id, 22))
        .await
        .expect("start");
    assert_eq!(
        (third.status, third.advisor_id),
        (ConversationStatus::Open, Some(jeroen.id)),
        "Fatima is at her limit"
    );
    // Full: the next waits; off duty, nobody takes questions.
    let fourth = store
        .start_conversation(question(bram.id, 23))
        .await
        .expect("start");
    assert_eq!(fourth.status, ConversationStatus::Waiting);
    store.go_off_duty(jeroen.id).await.expect("off");
    assert_eq!(store.on_duty_until(jeroen.id).await.expect("duty"), None);
    assert_eq!(
        store.on_duty_until(fatima.id).await.expect("duty"),
        Some(1_000)
    );
    let mine = store.conversations_of(anna.id).await.expect("mine");
    assert_eq!(mine.len(), 2);

    // Messages: in order after an id; a resent client key is the same message.
    let say = |author, body, key| NewChatMessage {
        conversation_id: first.id,
        author_id: Some(author),
        body,
        client_key: key,
        at: 30,
    };
    let m1 = store
        .add_message(say(anna.id, "Hallo, ik werk in een winkel.", Some("a-1")))
        .await
        .expect("message");
    let again = store
        .add_message(say(anna.id, "Hallo, ik werk in een winkel.", Some("a-1")))
        .await
        .expect("resent");
    assert_eq!(again.id, m1.id);
    let m2 = store
        .add_message(say(fatima.id, "Welkom! Wat wil je graag doen?", None))
        .await
        .expect("message");
    let all = store.messages_after(first.id, 0, 100).await.expect("all");
    assert_eq!(
        all.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![m1.id, m2.id]
    );
    let rest = store
        .messages_after(first.id, m1.id, 100)
        .await
        .expect("rest");
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].body, "Welkom! Wat wil je graag doen?");

    // Read marks never move back.
    store
        .mark_read(first.id, anna.id, m2.id)
        .await
        .expect("read");
    store
        .mark_read(first.id, anna.id, m1.id)
        .await
        .expect("read");
    assert_eq!(
        store.read_marks(first.id).await.expect("marks"),
        vec![(anna.id, m2.id)]
    );

    // Closed: no more messages; rated once.
    assert!(store.close_conversation(first.id, 40).await.expect("close"));
    assert!(!store.close_conversation(first.id, 41).await.expect("again"));
    let late = store.add_message(say(anna.id, "Nog iets", None)).await;
    assert!(matches!(late, Err(StoreError::Refused(_))), "{late:?}");
    assert!(store.rate_conversation(first.id, 5).await.expect("rate"));
    assert!(!store.rate_conversation(first.id, 1).await.expect("once"));
    assert_eq!(
        store
            .conversation(first.id)
            .await
            .expect("read")
            .and_then(|c| c.rating),
        Some(5)
    );

    // Routing per programme: a question about a programme goes to an advisor of that
    // programme (or one for every programme), never to an advisor of another one.
    store.go_off_duty(fatima.id).await.expect("off");
    store.go_off_duty(jeroen.id).await.expect("off");
    let defn = super::advice::definition(10);
    let limburg = store
        .create_programme("chat-limburg", ProgrammeStatus::Published, &defn, 50)
        .await
        .expect("programme");
    let national = store
        .create_programme("chat-landelijk", ProgrammeStatus::Published, &defn, 50)
        .await
        .expect("programme");
    let about = |learner, programme, at| NewConversation {
        programme_id: Some(programme),
        ..question(learner, at)
    };
    let limburg_question = store
        .start_conversation(about(anna.id, limburg.id, 51))
        .await
        .expect("start");
    let national_question = store
        .start_conversation(about(bram.id, national.id, 52))
        .await
        .expect("start");
    let only_national = [national.id];
    let given = store
        .go_on_duty(duty(fatima.id, 5, Some(&only_national), 53))
        .await
        .expect("on duty");
    assert_eq!(
        given.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![fourth.id, national_question.id],
        "Fatima works for the national programme only: she takes the general question waiting \
         from before and the national one; Limburg's keeps waiting"
    );
    let another = store
        .start_conversation(about(bram.id, limburg.id, 54))
        .await
        .expect("start");
    assert_eq!(another.status, ConversationStatus::Waiting);
    let general = store
        .start_conversation(question(bram.id, 55))
        .await
        .expect("start");
    assert_eq!(
        general.advisor_id,
        Some(fatima.id),
        "a general question goes to anyone"
    );
    let given = store
        .go_on_duty(duty(jeroen.id, 5, None, 56))
        .await
        .expect("on duty");
    assert_eq!(
        given.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![limburg_question.id, another.id],
        "an advisor for every programme takes Limburg's questions, oldest first"
    );

    // The bus: what one listener publishes, another on the same database hears.
    let one = leerpad_storage::chat_bus(&db.store).await.expect("bus");
    let two = leerpad_storage::chat_bus(&db.store).await.expect("bus");
    let mut heard = two.subscribe();
    let signal = ChatSignal::Message { c: first.id };
    one.publish(&signal).await.expect("publish");
    let got = match db.engine() {
        // Within one process on SQLite each bus is its own (servers share one through the
        // process): publish on the same bus.
        "sqlite" => {
            let mut own = one.subscribe();
            one.publish(&signal).await.expect("publish");
            tokio::time::timeout(Duration::from_secs(5), own.next())
                .await
                .expect("in time")
        }
        _ => tokio::time::timeout(Duration::from_secs(5), heard.next())
            .await
            .expect("in time"),
    };
    assert_eq!(got, Some(signal));
    // A signal larger than a NOTIFY payload (a video call's session description) arrives
    // whole.
    if db.engine() != "sqlite" {
        let big = ChatSignal::Rtc {
            c: first.id,
            from: anna.id,
            data: "v=0\r\n".repeat(3_000),
        };
        one.publish(&big).await.expect("publish a large signal");
        let got = tokio::time::timeout(Duration::from_secs(5), heard.next())
            .await
            .expect("in time");
        assert_eq!(got, Some(big));
    }
}

//! Chat with an advisor: questions wait in a queue with their position until an advisor is on
//! duty; only the two participants read a conversation (the advisor's reading is in the
//! learner's access log); text is escaped; the page works without JavaScript; after hours the
//! learner is told by message when an advisor answers. Live: two `leerpad serve` processes on
//! one PostgreSQL deliver each other's messages over WebSockets, and a client whose server dies
//! reconnects to the other and misses nothing, gets nothing twice.

use crate::common::{PASSWORD, apps};
use crate::server::{Server, leerpad_on};
use futures_util::{SinkExt, StreamExt};
use leerpad_app::chat::Question;
use leerpad_domain::advice::ports::ProgrammeStatus;
use leerpad_domain::advice::programme::ProgrammeDefinition;
use leerpad_domain::financing::Condition;
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{Localized, Money, UserId};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn principal(id: i64, roles: &[Role]) -> Principal {
    Principal {
        user_id: UserId::new(id),
        email: format!("{id}@example.nl"),
        roles: RoleSet::new(roles.iter().copied()),
    }
}

#[tokio::test]
async fn a_question_waits_its_turn_and_only_the_two_participants_read_it() {
    for app in apps().await {
        let (mut sanne, sanne_id) = app.logged_in("sanne@example.nl", &[Role::Learner]).await;
        let (mut tom, _) = app.logged_in("tom@example.nl", &[Role::Learner]).await;
        // Asked without an advisor on duty: in the queue, with a position.
        let asked = sanne
            .submit(
                "/gesprekken",
                "/gesprekken",
                &[
                    ("subject", "Overstappen naar de zorg"),
                    ("body", "Ik werk in een winkel. <script>alert(1)</script>"),
                    ("key", "k1"),
                ],
            )
            .await;
        assert_eq!(
            asked.status,
            axum::http::StatusCode::SEE_OTHER,
            "{}",
            asked.text
        );
        let page_path = asked.location().expect("to the conversation").to_owned();
        let page = sanne.get(&page_path).await;
        assert!(page.text.contains("je bent nummer 1"), "{}", page.text);
        assert!(
            page.text
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "text is escaped: {}",
            page.text
        );
        assert!(!page.text.contains("<script>alert(1)"));
        let asked = tom
            .submit(
                "/gesprekken",
                "/gesprekken",
                &[
                    ("subject", ""),
                    ("body", "Wat kost een opleiding?"),
                    ("key", "k2"),
                ],
            )
            .await;
        let toms_path = asked.location().expect("to the conversation").to_owned();
        assert!(tom.get(&toms_path).await.text.contains("je bent nummer 2"));
        // An empty message is refused, in Dutch, on the page.
        let empty = sanne
            .submit(
                &page_path,
                &format!("{page_path}/berichten"),
                &[("body", "  ")],
            )
            .await;
        assert_eq!(empty.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.text.contains("Schrijf eerst een bericht"),
            "{}",
            empty.text
        );

        // Fatima comes on duty and takes both (her limit is three); Sanne is now talking with her.
        let (mut fatima, fatima_id) = app.logged_in("fatima@example.nl", &[Role::Advisor]).await;
        let (mut jeroen, _) = app.logged_in("jeroen@example.nl", &[Role::Advisor]).await;
        let on = fatima
            .submit(
                "/adviseur/gesprekken",
                "/adviseur/gesprekken/dienst",
                &[("on", "ja")],
            )
            .await;
        assert_eq!(on.status, axum::http::StatusCode::SEE_OTHER);
        let inbox = fatima.get("/adviseur/gesprekken").await;
        assert!(
            inbox.text.contains("Overstappen naar de zorg"),
            "{}",
            inbox.text
        );
        assert!(
            inbox.text.contains("Je bent beschikbaar tot"),
            "{}",
            inbox.text
        );
        let page = sanne.get(&page_path).await;
        assert!(page.text.contains("Je praat met Test"), "{}", page.text);

        // Nobody else reads it: not Tom, not another advisor.
        assert_eq!(
            tom.get(&page_path).await.status,
            axum::http::StatusCode::NOT_FOUND
        );
        assert_eq!(
            jeroen.get(&page_path).await.status,
            axum::http::StatusCode::NOT_FOUND
        );
        assert_eq!(
            jeroen.get(&format!("{page_path}/verslag.txt")).await.status,
            axum::http::StatusCode::NOT_FOUND
        );

        // Fatima reads and answers with a standard reply; her reading is in Sanne's log.
        let view = fatima.get(&page_path).await;
        assert!(view.text.contains("Standaardantwoorden"), "{}", view.text);
        let answered = fatima
            .submit(
                &page_path,
                &format!("{page_path}/berichten"),
                &[
                    (
                        "body",
                        "Welkom! Ik ben je loopbaanadviseur. Waar kan ik je mee helpen?",
                    ),
                    ("key", "f1"),
                ],
            )
            .await;
        assert_eq!(
            answered.status,
            axum::http::StatusCode::SEE_OTHER,
            "{}",
            answered.text
        );
        let page = sanne.get(&page_path).await;
        assert!(
            page.text.contains("Waar kan ik je mee helpen?"),
            "{}",
            page.text
        );
        let log = sanne.get("/inzage").await;
        assert!(log.text.contains("fatima@example.nl"), "{}", log.text);

        // The same key again is the same message (a double click, a resent form).
        let id: i64 = page_path
            .rsplit('/')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("id");
        let sanne_p = principal(sanne_id, &[Role::Learner]);
        let before = app
            .chat
            .messages_after(&sanne_p, id, 0)
            .await
            .expect("messages")
            .len();
        for _ in 0..2 {
            app.chat
                .send(&sanne_p, id, "Dank je!", Some("twice"))
                .await
                .expect("send");
        }
        let after = app
            .chat
            .messages_after(&sanne_p, id, 0)
            .await
            .expect("messages");
        assert_eq!(after.len(), before + 1);

        // Ended: a transcript to keep, and one rating.
        let transcript = sanne.get(&format!("{page_path}/verslag.txt")).await;
        assert!(
            transcript
                .header("content-disposition")
                .is_some_and(|d| d.contains("attachment")),
            "{:?}",
            transcript.headers
        );
        assert!(transcript.text.contains("Ik werk in een winkel."));
        assert!(transcript.text.contains("Dank je!"));
        let closed = sanne
            .submit(&page_path, &format!("{page_path}/beeindigen"), &[])
            .await;
        assert_eq!(closed.status, axum::http::StatusCode::SEE_OTHER);
        let page = sanne.get(&page_path).await;
        assert!(page.text.contains("Hoe was dit gesprek?"), "{}", page.text);
        let rated = sanne
            .submit(
                &page_path,
                &format!("{page_path}/beoordeling"),
                &[("rating", "5")],
            )
            .await;
        assert_eq!(rated.status, axum::http::StatusCode::SEE_OTHER);
        assert!(sanne.get(&page_path).await.text.contains("5 van de 5"));
        let late = sanne
            .submit(
                &page_path,
                &format!("{page_path}/berichten"),
                &[("body", "Nog iets")],
            )
            .await;
        assert_eq!(late.status, axum::http::StatusCode::CONFLICT);
        let _ = fatima_id;
    }
}

#[tokio::test]
async fn a_question_asked_after_hours_is_answered_later_with_a_message() {
    for app in apps().await {
        // 1,800,000,000 is Friday 15 January 2027, 09:00 in Amsterdam; ten hours later it is
        // closed.
        app.clock.advance(10 * 3_600);
        let (mut sanne, sanne_id) = app.logged_in("sanne@example.nl", &[Role::Learner]).await;
        let list = sanne.get("/gesprekken").await;
        assert!(
            list.text.contains("buiten de openingstijden"),
            "{}",
            list.text
        );
        let sanne_p = principal(sanne_id, &[Role::Learner]);
        let c = app
            .chat
            .ask(
                &sanne_p,
                general("Avondvraag", "Kan ik 's avonds een opleiding volgen?"),
                None,
            )
            .await
            .expect("ask");
        assert!(c.after_hours);
        let page = sanne.get(&format!("/gesprekken/{}", c.id)).await;
        assert!(page.text.contains("antwoordt later"), "{}", page.text);
        // The next morning an advisor comes on duty and answers: Sanne is told, once.
        app.clock.advance(14 * 3_600);
        let fatima_id = app.user("fatima@example.nl", &[Role::Advisor]).await;
        let fatima = principal(fatima_id, &[Role::Advisor]);
        let given = app.chat.go_on_duty(&fatima).await.expect("on duty");
        assert_eq!(given.len(), 1);
        for text in ["Goedemorgen! Ja, dat kan.", "Zal ik opleidingen zoeken?"] {
            app.chat
                .send(&fatima, c.id, text, None)
                .await
                .expect("answer");
        }
        let told = app
            .store()
            .messages_of(UserId::new(sanne_id), 10)
            .await
            .expect("messages");
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(matches!(
            told[0].message,
            leerpad_domain::mail::Message::ChatAnswered { .. }
        ));
        let _ = PASSWORD;
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(addr: &str, conversation: i64, token: &str, after: i64) -> Socket {
    let mut socket = open(addr, conversation, token).await;
    resume(&mut socket, after).await;
    socket
}

async fn resume(socket: &mut Socket, after: i64) {
    socket
        .send(Message::Text(
            json!({"type": "resume", "after": after}).to_string().into(),
        ))
        .await
        .expect("resume");
}

/// A connection that has not said where it is yet.
async fn open(addr: &str, conversation: i64, token: &str) -> Socket {
    let mut request = format!("ws://{addr}/gesprekken/{conversation}/ws")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    socket
}

/// Frames until one of `kind` (others are kept in `seen`), within a few seconds.
async fn next_of(socket: &mut Socket, kind: &str, seen: &mut Vec<Value>) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} frame in time; saw {seen:?}"))
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            let v: Value = serde_json::from_str(text.as_str()).expect("json");
            if v["type"] == kind {
                return v;
            }
            seen.push(v);
        }
    }
}

async fn say(socket: &mut Socket, body: &str, key: &str) {
    socket
        .send(Message::Text(
            json!({"type": "send", "body": body, "key": key})
                .to_string()
                .into(),
        ))
        .await
        .expect("send");
}

#[tokio::test]
async fn two_servers_on_one_postgresql_deliver_both_ways_and_a_client_survives_its_server() {
    let Some(app) = apps().await.into_iter().find(|a| a.engine() == "postgres") else {
        crate::server::skip("chat across servers", "PostgreSQL is not reachable");
        return;
    };
    let learner = app.user("leerling@example.nl", &[Role::Learner]).await;
    let advisor = app.user("adviseur@example.nl", &[Role::Advisor]).await;
    let (learner_p, advisor_p) = (
        principal(learner, &[Role::Learner]),
        principal(advisor, &[Role::Advisor]),
    );
    let token = |p: Principal| {
        let accounts = app.accounts.clone();
        async move {
            accounts
                .issue_api_token(&p, "chat", None, None)
                .await
                .expect("token")
                .secret
        }
    };
    let (learner_token, advisor_token) = (
        token(learner_p.clone()).await,
        token(advisor_p.clone()).await,
    );
    app.chat.go_on_duty(&advisor_p).await.expect("on duty");
    let c = app
        .chat
        .ask(
            &learner_p,
            general("Twee servers", "Hallo vanaf server A"),
            None,
        )
        .await
        .expect("ask");

    let dir = tempfile::tempdir().expect("tempdir");
    let a = Server::start(leerpad_on(dir.path(), &app.db));
    let b = Server::start(leerpad_on(dir.path(), &app.db));
    let mut seen = Vec::new();
    let mut on_a = connect(&a.addr, c.id, &learner_token, 0).await;
    let mut on_b = connect(&b.addr, c.id, &advisor_token, 0).await;
    let first = next_of(&mut on_a, "message", &mut seen).await;
    assert_eq!(first["body"], "Hallo vanaf server A");
    assert_eq!(first["mine"], true);
    let first_on_b = next_of(&mut on_b, "message", &mut seen).await;
    assert_eq!(first_on_b["id"], first["id"]);
    assert_eq!(first_on_b["mine"], false);

    // B → A and A → B, typing too.
    say(&mut on_b, "Hallo vanaf server B", "b-1").await;
    let got = next_of(&mut on_a, "message", &mut seen).await;
    assert_eq!(got["body"], "Hallo vanaf server B");
    on_a.send(Message::Text(json!({"type": "typing"}).to_string().into()))
        .await
        .expect("typing");
    let typing = next_of(&mut on_b, "typing", &mut seen).await;
    assert!(
        typing["text"].as_str().is_some_and(|t| t.contains("typt")),
        "{typing}"
    );
    say(&mut on_a, "En terug naar B", "a-1").await;
    let back = next_of(&mut on_b, "message", &mut seen).await;
    assert_eq!(back["body"], "En terug naar B");
    let last_on_a = next_of(&mut on_a, "message", &mut seen).await;
    assert_eq!(last_on_a["body"], "En terug naar B");
    let last_id = last_on_a["id"].as_i64().expect("id");

    // Server A dies. While the learner is away, the advisor writes twice; the learner comes
    // back on server B with her last id, and gets exactly those two, in order.
    drop(on_a);
    drop(a); // SIGKILL: the server dies without a goodbye
    say(&mut on_b, "Ben je er nog?", "b-2").await;
    // She reconnects; a message arrives before her client says where it is, which must not
    // make the server send her what she already has.
    let mut again = open(&b.addr, c.id, &learner_token).await;
    say(&mut on_b, "Ik wacht even.", "b-3").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    resume(&mut again, last_id).await;
    let one = next_of(&mut again, "message", &mut seen).await;
    let two = next_of(&mut again, "message", &mut seen).await;
    assert_eq!(
        (one["body"].as_str(), two["body"].as_str()),
        (Some("Ben je er nog?"), Some("Ik wacht even."))
    );
    assert!(one["id"].as_i64() > Some(last_id) && two["id"].as_i64() > one["id"].as_i64());
    // Nothing more (no duplicates): a new message is the next frame.
    say(&mut again, "Ja, ik ben er weer.", "a-2").await;
    let next = next_of(&mut again, "message", &mut seen).await;
    assert_eq!(next["body"], "Ja, ik ben er weer.");
    // Someone else's token opens nothing.
    let stranger = app.user("vreemde@example.nl", &[Role::Advisor]).await;
    let stranger_token = token(principal(stranger, &[Role::Advisor])).await;
    let mut refused = format!("ws://{}/gesprekken/{}/ws", b.addr, c.id)
        .into_client_request()
        .expect("request");
    refused.headers_mut().insert(
        "Authorization",
        format!("Bearer {stranger_token}").parse().expect("header"),
    );
    assert!(tokio_tungstenite::connect_async(refused).await.is_err());
    drop(b);
    app.cleanup().await;
}

/// The in-process application on a real loopback socket.
async fn on_socket(app: &crate::common::TestApp) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let service = app
        .router
        .clone()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    addr
}

#[tokio::test]
async fn the_websocket_passes_an_independent_protocol_check() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import websockets.sync.client"])
        .output()
        .expect("python3");
    if !probe.status.success() {
        crate::server::skip(
            "WebSocket conformance",
            "PyPI websockets is not installed (pip install websockets)",
        );
        return;
    }
    for app in apps().await {
        let learner = app.user("leerling@example.nl", &[Role::Learner]).await;
        let learner_p = principal(learner, &[Role::Learner]);
        let token = app
            .accounts
            .issue_api_token(&learner_p, "check", None, None)
            .await
            .expect("token")
            .secret;
        let c = app
            .chat
            .ask(&learner_p, general("Protocol", "Eerste bericht"), None)
            .await
            .expect("ask");
        let addr = on_socket(&app).await;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/chat/ws_conformance.py");
        let id = c.id.to_string();
        // The server runs on this test's runtime: wait for Python on a blocking thread.
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("python3")
                .arg(script)
                .arg(addr.to_string())
                .arg(id)
                .arg(&token)
                .output()
        })
        .await
        .expect("join")
        .expect("python3");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        println!("{said}");
        assert!(out.status.success(), "{said}");
        assert_eq!(said.matches("ok   ").count(), 8, "{said}");
    }
}

fn general<'a>(subject: &'a str, first: &'a str) -> Question<'a> {
    Question {
        subject,
        first,
        programme: None,
    }
}

/// A programme that gives places at once to anyone.
fn programme(name: &str) -> ProgrammeDefinition {
    ProgrammeDefinition {
        name: Localized {
            nl: name.into(),
            en: String::new(),
        },
        description: Localized::default(),
        funder: "Provincie".into(),
        capacity: 10,
        budget_per_advice: Money::from_cents(75_000),
        eligibility: Condition::always(),
        reserves: Vec::new(),
        windows: Vec::new(),
        example: false,
    }
}

#[tokio::test]
async fn a_question_about_a_programme_goes_to_an_advisor_of_that_programme() {
    for app in apps().await {
        let manager_id = app
            .user("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let manager = principal(manager_id, &[Role::ProgrammeManager]);
        for (slug, name) in [
            ("landelijk", "Ontwikkeladvies Nederland"),
            ("limburg", "Ontwikkeladvies Limburg"),
        ] {
            app.advice
                .create_programme(&manager, slug, ProgrammeStatus::Published, &programme(name))
                .await
                .expect("programme");
        }
        // Fatima works for the national programme, Jeroen for Limburg: each chooses it on their
        // profile page.
        let (mut fatima, fatima_id) = app.logged_in("fatima@example.nl", &[Role::Advisor]).await;
        let (mut jeroen, jeroen_id) = app.logged_in("jeroen@example.nl", &[Role::Advisor]).await;
        for (advisor, name, choice) in [
            (&mut fatima, "Fatima", "programme_landelijk"),
            (&mut jeroen, "Jeroen", "programme_limburg"),
        ] {
            let form = advisor.get("/adviseur").await;
            assert!(
                form.text.contains("Voor welke programma") && form.text.contains(choice),
                "{}",
                form.text
            );
            let saved = advisor
                .submit(
                    "/adviseur",
                    "/adviseur",
                    &[
                        ("name", name),
                        ("organisation", "Loopbaanbureau"),
                        ("certification", "Noloc-register"),
                        ("languages", "nl"),
                        ("mode_video", "on"),
                        ("appointment_minutes", "60"),
                        ("buffer_minutes", "15"),
                        ("max_per_day", "4"),
                        (choice, "on"),
                    ],
                )
                .await;
            assert_eq!(saved.status, axum::http::StatusCode::OK, "{}", saved.text);
            let form = advisor.get("/adviseur").await;
            assert!(
                form.text.contains(&format!(r#"name="{choice}" checked"#)),
                "the choice is kept: {}",
                form.text
            );
        }
        let on = fatima
            .submit(
                "/adviseur/gesprekken",
                "/adviseur/gesprekken/dienst",
                &[("on", "ja")],
            )
            .await;
        assert_eq!(on.status, axum::http::StatusCode::SEE_OTHER);

        // Sanne comes from Limburg's page: the form has Limburg chosen. Only Fatima is on duty,
        // and she does not answer for Limburg: Sanne waits, and Fatima does not see her question.
        let (mut sanne, sanne_id) = app.logged_in("sanne@example.nl", &[Role::Learner]).await;
        let form = sanne.get("/gesprekken?programma=limburg").await;
        assert!(
            form.text.contains(r#"<option value="limburg" selected>"#),
            "{}",
            form.text
        );
        let asked = sanne
            .submit(
                "/gesprekken",
                "/gesprekken",
                &[
                    ("subject", "Advies in Heerlen"),
                    ("body", "Kan ik in Heerlen een gesprek krijgen?"),
                    ("programme", "limburg"),
                    ("key", "s1"),
                ],
            )
            .await;
        assert_eq!(
            asked.status,
            axum::http::StatusCode::SEE_OTHER,
            "{}",
            asked.text
        );
        let sanne_path = asked.location().expect("to the conversation").to_owned();
        assert!(
            sanne
                .get(&sanne_path)
                .await
                .text
                .contains("je bent nummer 1")
        );
        let inbox = fatima.get("/adviseur/gesprekken").await;
        assert!(!inbox.text.contains("Advies in Heerlen"), "{}", inbox.text);

        // A general question goes to whoever is on duty.
        let tom_p = principal(
            app.user("tom@example.nl", &[Role::Learner]).await,
            &[Role::Learner],
        );
        let general_question = app
            .chat
            .ask(&tom_p, general("Algemeen", "Wat kost een opleiding?"), None)
            .await
            .expect("ask");
        assert_eq!(general_question.advisor_id, Some(UserId::new(fatima_id)));

        // Jeroen comes on duty and takes Sanne's question; a second Limburg question goes to him
        // although Fatima has room.
        let on = jeroen
            .submit(
                "/adviseur/gesprekken",
                "/adviseur/gesprekken/dienst",
                &[("on", "ja")],
            )
            .await;
        assert_eq!(on.status, axum::http::StatusCode::SEE_OTHER);
        let sanne_p = principal(sanne_id, &[Role::Learner]);
        let mine = app.chat.mine(&sanne_p).await.expect("mine");
        assert_eq!(mine[0].advisor_id, Some(UserId::new(jeroen_id)));
        let limburg = Question {
            programme: Some("limburg"),
            ..general("Nog een vraag", "Hoe lang duurt een gesprek?")
        };
        let second = app.chat.ask(&tom_p, limburg, None).await.expect("ask");
        assert_eq!(second.advisor_id, Some(UserId::new(jeroen_id)));

        // A programme that does not exist is refused by field, in Dutch.
        let unknown = sanne
            .submit(
                "/gesprekken",
                "/gesprekken",
                &[
                    ("body", "Hallo"),
                    ("programme", "bestaat-niet"),
                    ("key", "s2"),
                ],
            )
            .await;
        assert_eq!(unknown.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.text.contains("Dit programma bestaat niet"),
            "{}",
            unknown.text
        );
    }
}

#[tokio::test]
async fn clients_of_a_server_killed_under_load_reconnect_to_the_other_and_miss_nothing() {
    let Some(app) = apps().await.into_iter().find(|a| a.engine() == "postgres") else {
        crate::server::skip("chat across servers", "PostgreSQL is not reachable");
        return;
    };
    // The chat benchmark at a small scale: 200 clients on two servers, 30 messages a second
    // for 8 seconds; the second server is killed (SIGKILL) after 4.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = leerpad_on(dir.path(), &app.db)
        .args([
            "bench",
            "chat",
            "--clients",
            "200",
            "--rate",
            "30",
            "--seconds",
            "8",
            "--kill-node-after",
            "4",
            "--database-url",
            &app.db.url,
        ])
        .output()
        .expect("run the chat benchmark");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures: Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .expect("a JSON line at the end");
    assert_eq!(figures["messages"], 240, "{figures}");
    assert_eq!(figures["clients_on_killed_node"], 100, "{figures}");
    assert!(
        figures["reconnected"].as_u64() >= Some(100),
        "every client of the killed server reconnected: {figures}"
    );
    assert_eq!(figures["delivered"], 240, "{figures}");
    assert_eq!(
        (&figures["lost"], &figures["duplicated"]),
        (&json!(0), &json!(0)),
        "{figures}"
    );
}

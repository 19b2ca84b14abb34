//! The concurrency harness: N identical or conflicting requests fired at once at a route,
//! through the real HTTP stack (a TCP listener, hyper, the whole middleware), on every engine,
//! and the invariant checked afterwards.
//!
//! The rule it enforces (docs/ARCHITECTURE.md, "Check and act in one step"): an invariant is
//! checked in the same transaction or atomic statement that acts on it. A handler that reads,
//! decides and then writes in separate steps passes every sequential test and fails here.

use crate::common::{PASSWORD, TestApp, apps};
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::UserId;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Barrier;

/// One request to fire: method, path, bearer token and JSON body.
#[derive(Debug, Clone)]
struct Call {
    method: &'static str,
    path: String,
    bearer: Option<String>,
    body: Option<Value>,
}

impl Call {
    fn new(method: &'static str, path: impl Into<String>) -> Self {
        Call {
            method,
            path: path.into(),
            bearer: None,
            body: None,
        }
    }

    fn bearer(mut self, token: &str) -> Self {
        self.bearer = Some(token.to_owned());
        self
    }

    fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// What came back.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    body: String,
}

/// Serve the test app's router on a loopback port, as `leerpad serve` does.
async fn serve(app: &TestApp) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let service = app
        .router
        .clone()
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    addr
}

/// One HTTP/1.1 exchange on its own connection.
async fn send(addr: SocketAddr, call: &Call) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let body = call.body.as_ref().map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        call.method,
        call.path,
        body.len()
    );
    if call.body.is_some() {
        head.push_str("Content-Type: application/json\r\n");
    }
    if let Some(token) = &call.bearer {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .await
        .expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
    });
    let body = if chunked {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).expect("chunk size");
            if n == 0 {
                break;
            }
            out.push_str(&after[..n]);
            rest = &after[n + 2..];
        }
        out
    } else {
        body.to_owned()
    };
    Reply { status, body }
}

/// Fire `calls` at once: every task connects first and waits at a barrier, so the requests
/// reach the server together.
async fn fire(addr: SocketAddr, calls: Vec<Call>) -> Vec<Reply> {
    let barrier = Arc::new(Barrier::new(calls.len()));
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|call| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                send(addr, &call).await
            })
        })
        .collect();
    let mut replies = Vec::with_capacity(tasks.len());
    for t in tasks {
        replies.push(t.await.expect("request task"));
    }
    replies
}

fn count(replies: &[Reply], status: u16) -> usize {
    replies.iter().filter(|r| r.status == status).count()
}

fn statuses(replies: &[Reply]) -> Vec<u16> {
    replies.iter().map(|r| r.status).collect()
}

/// Exactly one of `replies` has the status `won`, every other one `lost`.
fn assert_one_wins(app: &TestApp, replies: &[Reply], won: u16, lost: u16) {
    assert_eq!(
        (count(replies, won), count(replies, lost)),
        (1, replies.len() - 1),
        "{} on {:?}",
        app.engine(),
        statuses(replies)
    );
}

/// An account with `roles` and an API token for it.
async fn account_with_token(app: &TestApp, email: &str, roles: &[Role]) -> (i64, String) {
    let id = app.user(email, roles).await;
    let principal = leerpad_domain::policy::Principal {
        user_id: UserId::new(id),
        email: email.to_owned(),
        roles: RoleSet::new(roles.iter().copied().chain([Role::Learner])),
    };
    let token = app
        .accounts
        .issue_api_token(&principal, "concurrency", None, None)
        .await
        .expect("token")
        .secret;
    (id, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_sent_at_once_cannot_pass_the_login_limit() {
    for app in apps().await {
        let addr = serve(&app).await;
        app.user("doelwit@example.nl", &[Role::Learner]).await;
        let limit = app.accounts.config().throttle.max_failures_per_account as usize;
        let guess = |password: &str| {
            Call::new("POST", "/api/v1/session")
                .json(json!({"email": "doelwit@example.nl", "password": password}))
        };
        // 25 wrong guesses at once: at most `limit` are checked, the rest wait.
        let replies = fire(
            addr,
            (0..25).map(|_| guess("verkeerd wachtwoord")).collect(),
        )
        .await;
        let checked = count(&replies, 401);
        assert!(
            checked <= limit,
            "{} on {:?}: {checked} passwords checked, limit {limit}",
            app.engine(),
            statuses(&replies)
        );
        assert_eq!(
            count(&replies, 429),
            25 - checked,
            "{:?}",
            statuses(&replies)
        );
        // What the probe found: after the flood the right password got in. Now it waits too.
        let right = send(addr, &guess(PASSWORD)).await;
        assert_eq!(right.status, 429, "{} on {}", app.engine(), right.body);
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_right_password_among_guesses_counts_like_a_normal_login() {
    for app in apps().await {
        let addr = serve(&app).await;
        app.user("doelwit@example.nl", &[Role::Learner]).await;
        let limit = app.accounts.config().throttle.max_failures_per_account as usize;
        // 25 guesses at once; the right password is number 23.
        let calls = (0..25)
            .map(|i| {
                let password = if i == 22 {
                    PASSWORD
                } else {
                    "verkeerd wachtwoord"
                };
                Call::new("POST", "/api/v1/session")
                    .json(json!({"email": "doelwit@example.nl", "password": password}))
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert!(replies.iter().all(|r| matches!(r.status, 200 | 401 | 429)));
        let wrong_checked = count(&replies, 401);
        // The right one only gets in while fewer than `limit` wrong ones were counted; like any
        // successful login it then clears the account's count, so at most `limit` more follow.
        let bound = if count(&replies, 200) == 1 {
            2 * limit - 1
        } else {
            limit
        };
        assert!(count(&replies, 200) <= 1);
        assert!(
            wrong_checked <= bound,
            "{} on {:?}: {wrong_checked} wrong passwords checked, bound {bound}",
            app.engine(),
            statuses(&replies)
        );
        assert_eq!(
            count(&replies, 429),
            25 - wrong_checked - count(&replies, 200),
            "{:?}",
            statuses(&replies)
        );
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn re_confirming_the_password_counts_towards_the_same_limit() {
    for app in apps().await {
        let addr = serve(&app).await;
        let (id, token) = account_with_token(&app, "bibliotheek@example.nl", &[]).await;
        let limit = app.accounts.config().throttle.max_failures_per_account as usize;
        let guesses = |n: usize, path: &'static str, method: &'static str| -> Vec<Call> {
            (0..n)
                .map(|_| {
                    let body = if path == "/api/v1/me/password" {
                        json!({"current_password": "verkeerd wachtwoord", "new_password": "nog een lang wachtwoord"})
                    } else {
                        json!({"password": "verkeerd wachtwoord", "confirm": true})
                    };
                    Call::new(method, path).bearer(&token).json(body)
                })
                .collect()
        };
        // Twenty wrong current passwords at once, then deletions: at most `limit` are checked.
        let mut replies = fire(addr, guesses(20, "/api/v1/me/password", "POST")).await;
        replies.extend(fire(addr, guesses(5, "/api/v1/me", "DELETE")).await);
        assert!(
            count(&replies, 401) <= limit,
            "{} on {:?}",
            app.engine(),
            statuses(&replies)
        );
        assert_eq!(count(&replies, 401) + count(&replies, 429), 25);
        // Now even the right password waits: the account is locked for the window.
        let right = send(
            addr,
            &Call::new("DELETE", "/api/v1/me")
                .bearer(&token)
                .json(json!({"password": PASSWORD, "confirm": true})),
        )
        .await;
        assert_eq!(right.status, 429, "{}", right.body);
        assert!(app.store().user_by_id(id).await.expect("user").is_some());
        // Logging in is locked too: the counters are shared.
        let login = send(
            addr,
            &Call::new("POST", "/api/v1/session")
                .json(json!({"email": "bibliotheek@example.nl", "password": PASSWORD})),
        )
        .await;
        assert_eq!(login.status, 429);
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_new_kvk_number_is_claimed_by_exactly_one_account() {
    for app in apps().await {
        let addr = serve(&app).await;
        let mut tokens = Vec::new();
        for i in 0..10 {
            let (_, token) =
                account_with_token(&app, &format!("opleider{i}@example.nl"), &[Role::Provider])
                    .await;
            tokens.push(token);
        }
        let calls = tokens
            .iter()
            .map(|t| {
                Call::new("PUT", "/api/v1/me/provider")
                    .bearer(t)
                    .json(json!({"kvk": "69599084", "name": "Leerhuis Zuid"}))
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert_one_wins(&app, &replies, 200, 409);
        let provider = app
            .store()
            .provider_by_kvk("69599084")
            .await
            .expect("read")
            .expect("registered");
        assert_eq!(
            app.store()
                .provider_member_count(provider.id)
                .await
                .expect("members"),
            1
        );
        // The nine who lost asked to join; the winner accepts one of them, and only then may
        // that account write the organisation's offers.
        let winner = replies
            .iter()
            .position(|r| r.status == 200)
            .expect("a winner");
        let loser = (winner + 1) % tokens.len();
        let accepted = send(
            addr,
            &Call::new("POST", "/api/v1/me/provider/colleagues")
                .bearer(&tokens[winner])
                .json(json!({"email": format!("opleider{loser}@example.nl")})),
        )
        .await;
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        let theirs = send(
            addr,
            &Call::new("GET", "/api/v1/me/provider").bearer(&tokens[loser]),
        )
        .await;
        assert_eq!(theirs.status, 200, "{}", theirs.body);
        // Nobody else can accept a colleague who did not ask.
        let stranger = (winner + 2) % tokens.len();
        let (_, outsider) =
            account_with_token(&app, "buitenstaander@example.nl", &[Role::Provider]).await;
        let refused = send(
            addr,
            &Call::new("POST", "/api/v1/me/provider/colleagues")
                .bearer(&tokens[winner])
                .json(json!({"email": "buitenstaander@example.nl"})),
        )
        .await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        let no_org = send(
            addr,
            &Call::new("POST", "/api/v1/me/provider/colleagues")
                .bearer(&tokens[stranger])
                .json(json!({"email": format!("opleider{loser}@example.nl")})),
        )
        .await;
        assert_eq!(no_org.status, 409, "{}", no_org.body);
        drop(outsider);
        app.cleanup().await;
    }
}

async fn admin_count(app: &TestApp) -> i64 {
    app.store()
        .count_by_role()
        .await
        .expect("count")
        .into_iter()
        .find(|(r, _)| *r == Role::Admin)
        .map_or(0, |(_, n)| n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_last_administrators_cannot_all_leave_at_once() {
    for app in apps().await {
        let addr = serve(&app).await;
        let mut survivor: Option<i64> = None;
        for round in 0..6 {
            let (a, ta) =
                account_with_token(&app, &format!("beheer-a{round}@example.nl"), &[Role::Admin])
                    .await;
            let (b, tb) =
                account_with_token(&app, &format!("beheer-b{round}@example.nl"), &[Role::Admin])
                    .await;
            // Exactly two administrators enter each round.
            if let Some(s) = survivor.take() {
                assert!(
                    app.store()
                        .delete_user(UserId::new(s))
                        .await
                        .expect("others remain")
                );
            }
            assert_eq!(admin_count(&app).await, 2);
            let delete = |t: &str| {
                Call::new("DELETE", "/api/v1/me")
                    .bearer(t)
                    .json(json!({"password": PASSWORD, "confirm": true}))
            };
            // Even rounds: both delete their account; odd rounds: each revokes the other's role.
            let calls = if round % 2 == 0 {
                vec![delete(&ta), delete(&tb)]
            } else {
                vec![
                    Call::new("DELETE", format!("/api/v1/admin/users/{b}/roles/admin")).bearer(&ta),
                    Call::new("DELETE", format!("/api/v1/admin/users/{a}/roles/admin")).bearer(&tb),
                ]
            };
            let replies = fire(addr, calls).await;
            assert_eq!(
                admin_count(&app).await,
                1,
                "{} round {round}: {:?}",
                app.engine(),
                statuses(&replies)
            );
            assert_eq!(count(&replies, 204), 1, "{:?}", statuses(&replies));
            // The other is refused: 409 by the store, or 403 when the winner's change had
            // already taken its role before its request was authorised.
            assert!(
                replies.iter().all(|r| matches!(r.status, 204 | 403 | 409)),
                "{:?}",
                statuses(&replies)
            );
            for id in [a, b] {
                if app
                    .store()
                    .roles_of(UserId::new(id))
                    .await
                    .expect("roles")
                    .contains(Role::Admin)
                {
                    survivor = Some(id);
                }
            }
            assert!(survivor.is_some());
        }
        // Alone, an administrator cannot remove their own role either.
        let last = survivor.expect("an administrator");
        let tokens = app
            .store()
            .list_api_tokens(UserId::new(last))
            .await
            .expect("tokens");
        assert!(!tokens.is_empty());
        assert!(matches!(
            app.store()
                .set_role(UserId::new(last), Role::Admin, false, 1)
                .await,
            Err(leerpad_domain::ports::StoreError::Refused(_))
        ));
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_e_mail_address_registers_one_account() {
    for app in apps().await {
        let addr = serve(&app).await;
        let calls = (0..10)
            .map(|i| {
                Call::new("POST", "/api/v1/accounts").json(json!({
                    "email": "dubbel@example.nl",
                    "display_name": format!("Poging {i}"),
                    "password": PASSWORD,
                }))
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert_one_wins(&app, &replies, 201, 409);
        assert!(
            app.store()
                .user_by_email("dubbel@example.nl")
                .await
                .expect("read")
                .is_some()
        );
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_edits_of_one_scheme_version_save_once() {
    for app in apps().await {
        let addr = serve(&app).await;
        let (_, token) =
            account_with_token(&app, "regio@example.nl", &[Role::ProgrammeManager]).await;
        let definition = |name: &str| {
            json!({
                "name": {"nl": name},
                "funder": {"kind": "regional", "name": "Regio Twente"},
                "payment": "reimbursement",
                "coverage": {"percent": 75, "max_per_award_cents": 150_000},
                "eligibility": {"all": [{"region": ["Twente"]}]},
            })
        };
        let created = send(
            addr,
            &Call::new("POST", "/api/v1/schemes")
                .bearer(&token)
                .json(json!({"slug": "regiofonds-twente", "definition": definition("Regiofonds")})),
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let version = serde_json::from_str::<Value>(&created.body).expect("json")["version"]
            .as_i64()
            .expect("version");
        let calls = (0..8)
            .map(|i| {
                Call::new("PUT", "/api/v1/schemes/regiofonds-twente")
                    .bearer(&token)
                    .json(json!({"version": version, "definition": definition(&format!("Versie {i}"))}))
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert_one_wins(&app, &replies, 200, 409);
        let scheme = app
            .store()
            .scheme("regiofonds-twente")
            .await
            .expect("read")
            .expect("scheme");
        let revisions = app
            .store()
            .scheme_revisions(scheme.id)
            .await
            .expect("revisions");
        assert_eq!(revisions.len(), 2, "created + one edit");
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn profile_edits_at_once_never_lose_an_edit() {
    for app in apps().await {
        let addr = serve(&app).await;
        let (id, token) = account_with_token(&app, "profiel@example.nl", &[]).await;
        let titles = [
            "kok",
            "verzorgende",
            "magazijnmedewerker",
            "kapper",
            "schilder",
            "bakker",
        ];
        let calls = titles
            .iter()
            .map(|t| {
                Call::new("POST", "/api/v1/me/profile/occupations")
                    .bearer(&token)
                    .json(json!({"title": t}))
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert!(
            replies.iter().all(|r| matches!(r.status, 200 | 409)),
            "{} on {:?}",
            app.engine(),
            statuses(&replies)
        );
        assert!(count(&replies, 200) >= 1, "{:?}", statuses(&replies));
        // Every edit that was answered 200 is in the stored profile; none was overwritten.
        let stored = app
            .store()
            .profile(UserId::new(id))
            .await
            .expect("read")
            .expect("a profile");
        let kept: Vec<&str> = stored
            .profile
            .occupations
            .iter()
            .map(|o| o.title.as_str())
            .collect();
        let answered: Vec<&str> = titles
            .iter()
            .zip(&replies)
            .filter(|(_, r)| r.status == 200)
            .map(|(t, _)| *t)
            .collect();
        let mut kept_sorted = kept.clone();
        kept_sorted.sort_unstable();
        let mut answered_sorted = answered.clone();
        answered_sorted.sort_unstable();
        assert_eq!(kept_sorted, answered_sorted, "{:?}", statuses(&replies));
        assert_eq!(stored.version, answered.len() as i64);
        app.cleanup().await;
    }
}

/// An advice programme without windows: places are given at once while there are some.
fn advice_programme(capacity: u32) -> Value {
    json!({
        "slug": "advies-nu",
        "status": "published",
        "definition": {
            "name": {"nl": "Advies nu"},
            "funder": "Regio Twente",
            "capacity": capacity,
            "budget_per_advice": 75_000,
        },
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_person_registering_a_thousand_times_at_once_has_one_registration() {
    for app in apps().await {
        let addr = serve(&app).await;
        let (_, manager) =
            account_with_token(&app, "regie@example.nl", &[Role::ProgrammeManager]).await;
        let created = send(
            addr,
            &Call::new("POST", "/api/v1/advice/programmes")
                .bearer(&manager)
                .json(advice_programme(10)),
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let (_, token) = account_with_token(&app, "snel@example.nl", &[Role::Learner]).await;
        let calls = (0..1000)
            .map(|_| {
                Call::new("POST", "/api/v1/advice/programmes/advies-nu/registration").bearer(&token)
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert_eq!(count(&replies, 200), 1000, "{:?}", statuses(&replies));
        let references: std::collections::BTreeSet<String> = replies
            .iter()
            .map(|r| serde_json::from_str::<Value>(&r.body).expect("json")["reference"].to_string())
            .collect();
        assert_eq!(references.len(), 1, "{references:?}");
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn places_given_at_once_never_exceed_the_capacity() {
    for app in apps().await {
        let addr = serve(&app).await;
        let (_, manager) =
            account_with_token(&app, "regie@example.nl", &[Role::ProgrammeManager]).await;
        let created = send(
            addr,
            &Call::new("POST", "/api/v1/advice/programmes")
                .bearer(&manager)
                .json(advice_programme(40)),
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let mut calls = Vec::new();
        for i in 0..120 {
            let (_, token) =
                account_with_token(&app, &format!("mens{i}@example.nl"), &[Role::Learner]).await;
            calls.push(
                Call::new("POST", "/api/v1/advice/programmes/advies-nu/registration")
                    .bearer(&token),
            );
        }
        let replies = fire(addr, calls).await;
        assert_eq!(count(&replies, 200), 120, "{:?}", statuses(&replies));
        let bodies: Vec<Value> = replies
            .iter()
            .map(|r| serde_json::from_str(&r.body).expect("json"))
            .collect();
        let allocated = bodies.iter().filter(|b| b["status"] == "allocated").count();
        let mut positions: Vec<i64> = bodies
            .iter()
            .filter(|b| b["status"] == "waitlisted")
            .filter_map(|b| b["waitlist_position"].as_i64())
            .collect();
        positions.sort_unstable();
        assert_eq!(allocated, 40, "{}", app.engine());
        assert_eq!(
            positions,
            (1..=80).collect::<Vec<i64>>(),
            "{}",
            app.engine()
        );
        app.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_bookings_for_a_hundred_times_book_each_time_once() {
    use leerpad_domain::advice::advisors::{AdvisorProfile, Availability, Hours, Mode};
    for app in apps().await {
        let addr = serve(&app).await;
        let (_, manager) =
            account_with_token(&app, "regie@example.nl", &[Role::ProgrammeManager]).await;
        let created = send(
            addr,
            &Call::new("POST", "/api/v1/advice/programmes")
                .bearer(&manager)
                .json(advice_programme(1000)),
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.body);
        // One advisor, every day 08:00–18:00, ten talks of an hour a day.
        let advisor_id = app.user("adviseur@example.nl", &[Role::Advisor]).await;
        let advisor = leerpad_domain::policy::Principal {
            user_id: UserId::new(advisor_id),
            email: "adviseur@example.nl".into(),
            roles: RoleSet::new([Role::Advisor]),
        };
        let profile = AdvisorProfile {
            name: "Fatima El Amrani".into(),
            organisation: "Loopbaanbureau Parkstad".into(),
            certification: "Noloc-register 10234".into(),
            specialisms: Vec::new(),
            languages: vec!["nl".into()],
            modes: vec![Mode::Video],
            place: None,
            appointment_minutes: 60,
            buffer_minutes: 0,
            max_per_day: 10,
            programmes: Vec::new(),
            example: false,
        };
        let hours = Availability {
            weekly: (1..=7)
                .map(|weekday| Hours {
                    weekday,
                    from_minute: 8 * 60,
                    until_minute: 18 * 60,
                })
                .collect(),
            days_off: Vec::new(),
        };
        app.advice
            .save_advisor(&advisor, &profile, &hours)
            .await
            .expect("advisor");
        let mut tokens = Vec::new();
        for i in 0..1000 {
            let (_, token) =
                account_with_token(&app, &format!("boek{i}@example.nl"), &[Role::Learner]).await;
            let placed = send(
                addr,
                &Call::new("POST", "/api/v1/advice/programmes/advies-nu/registration")
                    .bearer(&token),
            )
            .await;
            assert_eq!(placed.status, 200, "{}", placed.body);
            tokens.push(token);
        }
        let listed = send(
            addr,
            &Call::new("GET", "/api/v1/advice/programmes/advies-nu/advisors").bearer(&tokens[0]),
        )
        .await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        let times: Vec<i64> =
            serde_json::from_str::<Value>(&listed.body).expect("json")[0]["free_times"]
                .as_array()
                .expect("times")
                .iter()
                .filter_map(Value::as_i64)
                .take(100)
                .collect();
        assert_eq!(times.len(), 100);
        let calls = tokens
            .iter()
            .enumerate()
            .map(|(i, token)| {
                Call::new("POST", "/api/v1/advice/programmes/advies-nu/appointments")
                    .bearer(token)
                    .json(json!({
                        "advisor_id": advisor_id,
                        "starts_at": times[i % 100],
                        "mode": "video",
                        "idempotency_key": format!("boeking-{i}"),
                    }))
            })
            .collect();
        let replies = fire(addr, calls).await;
        assert_eq!(
            (count(&replies, 201), count(&replies, 409)),
            (100, 900),
            "{} on {:?}",
            app.engine(),
            statuses(&replies)
        );
        let booked = app
            .store()
            .booked_slots(UserId::new(advisor_id), 0, i64::MAX)
            .await
            .expect("booked");
        assert_eq!(booked.len(), 100);
        app.cleanup().await;
    }
}

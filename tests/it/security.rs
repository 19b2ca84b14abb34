//! Findings of the independent security probe (issue 15), each as a test that fails without
//! its fix, on every engine. The findings about requests sent at once are in
//! `tests/concurrency.rs`.

use crate::common::{PASSWORD, apps, apps_with};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use leerpad_domain::role::Role;
use leerpad_domain::shared::UserId;
use serde_json::json;

#[tokio::test]
async fn after_login_only_same_site_paths_are_followed() {
    for app in apps().await {
        app.user("terug@example.nl", &[Role::Learner]).await;
        for (next, expected) in [
            ("/\t/evil.example", "/account"),
            ("/\n/x", "/account"),
            ("/\r/x", "/account"),
            ("/\u{b}/x", "/account"),
            ("//evil.example", "/account"),
            ("/\\evil.example", "/account"),
            ("https://evil.example/", "/account"),
            ("/zoeken?q=zorg", "/zoeken?q=zorg"),
        ] {
            let mut c = app.client();
            let login_page = format!(
                "/inloggen?volgende={}",
                serde_urlencoded::to_string([("", next)])
                    .unwrap_or_default()
                    .trim_start_matches('=')
            );
            let r = c
                .submit(
                    &login_page,
                    "/inloggen",
                    &[
                        ("email", "terug@example.nl"),
                        ("password", PASSWORD),
                        ("volgende", next),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.text);
            assert_eq!(r.location(), Some(expected), "{next:?}");
            assert!(
                c.cookies.contains_key("lp_session"),
                "{next:?}: the session cookie is sent with the redirect"
            );
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_new_password_ends_the_api_tokens_made_with_the_old_one() {
    for app in apps().await {
        let (mut c, _) = app.logged_in("tokens@example.nl", &[Role::Learner]).await;
        let r = c
            .post_json("/api/v1/me/tokens", json!({"name": "koppeling"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let secret = r.json()["secret"].as_str().expect("secret").to_owned();
        let mut integration = app.client();
        integration.bearer = Some(secret);
        assert_eq!(integration.get("/api/v1/me").await.status, StatusCode::OK);
        let r = c
            .post_json(
                "/api/v1/me/password",
                json!({"current_password": PASSWORD, "new_password": "een nieuw lang wachtwoord"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        integration
            .get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        // The session that changed the password goes on.
        assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn roles_keep_the_platform_usable() {
    for app in apps().await {
        let (mut admin, admin_id) = app.logged_in("beheer@example.nl", &[Role::Admin]).await;
        let learner = app.user("lerende@example.nl", &[Role::Learner]).await;
        // Every account is a learner: the role cannot be removed.
        admin
            .call(
                Method::DELETE,
                &format!("/api/v1/admin/users/{learner}/roles/learner"),
            )
            .await
            .assert_problem(StatusCode::CONFLICT);
        // The only administrator cannot remove their own role.
        admin
            .call(
                Method::DELETE,
                &format!("/api/v1/admin/users/{admin_id}/roles/admin"),
            )
            .await
            .assert_problem(StatusCode::CONFLICT);
        assert!(
            app.store()
                .roles_of(UserId::new(admin_id))
                .await
                .expect("roles")
                .contains(Role::Admin)
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn personal_answers_are_never_cached() {
    for app in apps().await {
        let (mut c, _) = app.logged_in("privacy@example.nl", &[Role::Learner]).await;
        for path in ["/account", "/api/v1/me/export", "/api/v1/me"] {
            let r = c.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        }
        let anonymous = app.client().get("/zoeken").await;
        assert_ne!(anonymous.header("cache-control"), Some("no-store"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn strangers_get_bounded_skill_extraction() {
    let web = leerpad_web::WebConfig {
        anonymous_heavy_per_minute: 3,
        ..Default::default()
    };
    for app in apps_with(web.clone()).await {
        let extract = |text: String| json!({"text": text, "lang": "nl"});
        let mut stranger = app.client_from("192.0.2.7:4000");
        // Too long for an anonymous caller: refused before any work.
        let long = "Ik werk als verzorgende in de thuiszorg. ".repeat(260);
        assert!(long.chars().count() > 10_000);
        let r = stranger
            .post_json("/api/v1/skills/extract", extract(long.clone()))
            .await;
        let body = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "text");
        // Two more within the minute, then a 429 with Retry-After.
        for _ in 0..2 {
            let r = stranger
                .post_json(
                    "/api/v1/occupations/match",
                    json!({"title": "verzorgende IG"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let r = stranger
            .post_json(
                "/api/v1/skills/extract",
                extract("Ik kan goed plannen.".into()),
            )
            .await;
        r.assert_problem(StatusCode::TOO_MANY_REQUESTS);
        assert!(
            r.header("retry-after")
                .and_then(|v| v.parse::<u64>().ok())
                .is_some_and(|s| s >= 1),
            "{:?}",
            r.headers
        );
        // Another address is not affected; a signed-in caller is not rate-limited.
        let r = app
            .client_from("192.0.2.8:4000")
            .post_json(
                "/api/v1/skills/extract",
                extract("Ik kan goed plannen.".into()),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let (mut member, _) = app.logged_in("lid@example.nl", &[Role::Learner]).await;
        for _ in 0..5 {
            let r = member
                .post_json("/api/v1/occupations/match", json!({"title": "kok"}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_shared_address_is_not_locked_out_by_its_visitors_typos() {
    for app in apps().await {
        let policy = app.accounts.config().throttle;
        // A library: ten visitors sign in from one address …
        let mut library = app.client_from("198.51.100.1:5000");
        for i in 0..10 {
            let email = format!("bezoeker{i}@example.nl");
            app.user(&email, &[Role::Learner]).await;
            let r = library.log_in(email, PASSWORD).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        // … and mistype more than the base limit of the address, a few times each.
        let typos = policy.max_failures_per_ip + 5;
        for n in 0..typos {
            let email = format!("bezoeker{}@example.nl", n % 10);
            let r = library.log_in(email, "typfout in wachtwoord").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "typo {n}: {}", r.text);
        }
        // An address where nobody signs in stays at the base limit (password spraying).
        let mut sprayer = app.client_from("203.0.113.9:5000");
        let mut locked_at = None;
        for n in 0..=policy.max_failures_per_ip {
            let r = sprayer
                .log_in(format!("gok{n}@example.nl"), "Welkom01!!")
                .await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                locked_at = Some(n);
                break;
            }
        }
        assert_eq!(locked_at, Some(policy.max_failures_per_ip));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn behind_a_proxy_the_address_is_the_hop_the_proxy_added() {
    let web = leerpad_web::WebConfig {
        trust_forwarded_for: true,
        ..Default::default()
    };
    for app in apps_with(web.clone()).await {
        let mut c = app.client();
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/session")
            .header("content-type", "application/json")
            .header("x-forwarded-for", "6.6.6.6, 192.0.2.44")
            .body(Body::from(
                json!({"email": "niemand@example.nl", "password": "fout wachtwoord"}).to_string(),
            ))
            .expect("request");
        let r = c.send(req).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let q = leerpad_domain::accounts::ports::AuditQuery {
            event: Some("login_failed".into()),
            limit: 10,
            ..Default::default()
        };
        let entries = app.store().list_audit(&q).await.expect("audit");
        assert_eq!(entries[0].ip.as_deref(), Some("192.0.2.44"));
        app.cleanup().await;
    }
}

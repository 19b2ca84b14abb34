//! Accounts end to end, on every engine: registration, login, throttling, CSRF, sessions,
//! authorization, API tokens and the audit trail.

use crate::common::{PASSWORD, apps};
use axum::http::{Method, StatusCode};
use leerpad_domain::role::Role;
use leerpad_domain::shared::UserId;

#[tokio::test]
async fn register_log_in_and_out_through_the_pages() {
    for app in apps().await {
        let mut c = app.client();
        let r = c
            .register_page("Fatima", "Fatima@Example.NL", PASSWORD)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.location(), Some("/welkom"));
        let welcome = c.get("/welkom").await;
        assert_eq!(welcome.status, StatusCode::OK);
        assert!(
            welcome.text.contains("Wat wil je doen?"),
            "{}",
            welcome.text
        );
        assert!(welcome.text.contains("href=\"/vaardigheden\""));
        let session = c
            .cookies
            .get("lp_session")
            .cloned()
            .expect("session cookie set");
        let page = c.get("/account").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("fatima@example.nl"),
            "e-mail normalised and shown"
        );
        assert!(page.text.contains("Lerende"));

        // The session cookie is HttpOnly and SameSite=Lax.
        let mut fresh = app.client();
        let r = fresh.log_in_page("fatima@example.nl", PASSWORD).await;
        let set_cookie = r
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("lp_session="))
            .expect("cookie")
            .to_owned();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        assert!(!set_cookie.contains("Secure"), "not over plain HTTP");

        // Logging out ends the session server-side, not just in the browser.
        let r = c.submit("/account", "/uitloggen", &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let mut replay = app.client();
        replay.cookies.insert("lp_session".into(), session);
        let r = replay.get("/account").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), Some("/inloggen?volgende=%2Faccount"));

        let events = app.audit_events().await;
        for e in ["registered", "login", "logout"] {
            assert!(events.iter().any(|x| x == e), "{e} missing in {events:?}");
        }
        app.cleanup().await;
    }
}

#[tokio::test]
async fn registration_errors_are_shown_on_their_fields() {
    for app in apps().await {
        app.user("bestaat@example.nl", &[]).await;
        let mut c = app.client();
        let r = c.register_page("X", "bestaat@example.nl", PASSWORD).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text.contains("Er is al een account met dit e-mailadres"));
        assert!(r.text.contains("aria-invalid=\"true\""));
        assert!(
            r.text.contains("aria-describedby=\" email-error\"") || r.text.contains("email-error")
        );
        let r = c.register_page("X", "nieuw@example.nl", "kort").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("10 tot 128 tekens"));
        // Escaping: what people type is shown as text, never as markup.
        let r = c
            .register_page("<script>alert(1)</script>", "x", PASSWORD)
            .await;
        assert!(!r.text.contains("<script>alert(1)</script>"));
        assert!(r.text.contains("&#60;script&#62;") || r.text.contains("&lt;script&gt;"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn wrong_password_is_refused_and_audited() {
    for app in apps().await {
        app.user("jan@example.nl", &[]).await;
        let mut c = app.client();
        let r = c.log_in("jan@example.nl", "verkeerd wachtwoord").await;
        r.assert_problem(StatusCode::UNAUTHORIZED);
        assert!(!c.cookies.contains_key("lp_session"));
        // Unknown accounts answer the same, so addresses cannot be probed.
        let r2 = c.log_in("niemand@example.nl", "verkeerd wachtwoord").await;
        assert_eq!(r2.json()["detail"], r.json()["detail"]);
        let page = c.log_in_page("jan@example.nl", "nog steeds fout").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(
            page.text
                .contains("Het e-mailadres of het wachtwoord klopt niet.")
        );
        let events = app.audit_events().await;
        assert_eq!(events.iter().filter(|e| *e == "login_failed").count(), 3);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn throttling_locks_an_account_after_five_failures_then_lifts() {
    for app in apps().await {
        app.user("doelwit@example.nl", &[]).await;
        // Failures from different addresses still count against the account.
        for i in 0..5 {
            let mut c = app.client_from(&format!("10.0.0.{}:1000", i + 1));
            let r = c.log_in("doelwit@example.nl", "geraden wachtwoord").await;
            r.assert_problem(StatusCode::UNAUTHORIZED);
        }
        let mut c = app.client();
        let r = c.log_in("doelwit@example.nl", PASSWORD).await;
        r.assert_problem(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.header("retry-after"), Some("900"));
        let page = c.log_in_page("doelwit@example.nl", PASSWORD).await;
        assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.text.contains("Probeer het over 15 minuten opnieuw"));
        assert!(
            app.audit_events()
                .await
                .iter()
                .any(|e| e == "login_throttled")
        );

        app.clock.advance(15 * 60 + 1);
        let r = c.log_in("doelwit@example.nl", PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn throttling_per_address_stops_spraying_many_accounts() {
    for app in apps().await {
        let mut c = app.client_from("10.9.9.9:1");
        for i in 0..30 {
            let r = c
                .log_in(format!("slachtoffer{i}@example.nl"), "Welkom01!!")
                .await;
            r.assert_problem(StatusCode::UNAUTHORIZED);
        }
        app.user("echt@example.nl", &[]).await;
        let r = c.log_in("echt@example.nl", PASSWORD).await;
        r.assert_problem(StatusCode::TOO_MANY_REQUESTS);
        // Another address is not affected.
        let mut other = app.client_from("10.9.9.10:1");
        let r = other.log_in("echt@example.nl", PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    for app in apps().await {
        app.user("csrf@example.nl", &[]).await;
        let mut c = app.client();
        // Missing token on the login form.
        let r = c
            .form(
                "/inloggen",
                &[("email", "csrf@example.nl"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text.contains("Formulier verlopen"), "{}", r.text);
        assert!(!c.cookies.contains_key("lp_session"));
        // A token from another visitor does not work either.
        let other_token = app.client().get("/inloggen").await.csrf();
        c.get("/inloggen").await;
        let r = c
            .form(
                "/inloggen",
                &[
                    ("_csrf", &other_token),
                    ("email", "csrf@example.nl"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Signed in: state-changing forms need the session's token.
        let r = c.log_in_page("csrf@example.nl", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = c
            .form("/account/sleutels", &[("name", "zonder token")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = c.form("/uitloggen", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            c.get("/account").await.status,
            StatusCode::OK,
            "still logged in"
        );

        // A cross-site request with the right token is refused on its origin.
        let token = c.get("/account").await.csrf();
        let req = axum::http::Request::post("/uitloggen")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(axum::body::Body::from(format!("_csrf={token}")))
            .expect("request");
        assert_eq!(c.send(req).await.status, StatusCode::FORBIDDEN);
        // And so is a cross-site API write riding on the session cookie.
        let req = axum::http::Request::post("/api/v1/me/tokens")
            .header("content-type", "application/json")
            .header("origin", "https://evil.example")
            .header("host", "leerpad.test")
            .body(axum::body::Body::from(r#"{"name":"x"}"#))
            .expect("request");
        c.send(req).await.assert_problem(StatusCode::FORBIDDEN);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_and_at_their_maximum_age() {
    for app in apps().await {
        let (mut c, _) = app.logged_in("sessie@example.nl", &[]).await;
        assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
        // Used within the idle window, the session lives on.
        app.clock.advance(60 * 60);
        assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
        app.clock.advance(60 * 60 + 60);
        assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
        // Idle for more than two hours: gone, and the stale cookie is cleared.
        app.clock.advance(2 * 60 * 60 + 1);
        c.get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        assert!(!c.cookies.contains_key("lp_session"));

        // However active, a session ends after seven days.
        let (mut c, _) = (app.client(), ());
        let r = c.log_in("sessie@example.nl", PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK);
        for _ in 0..(7 * 24) {
            app.clock.advance(60 * 60);
            if c.get("/api/v1/me").await.status != StatusCode::OK {
                break;
            }
        }
        c.get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_learner_gets_403_on_programme_manager_and_admin_routes() {
    for app in apps().await {
        let (mut learner, learner_id) = app.logged_in("leerling@example.nl", &[]).await;
        learner
            .get("/api/v1/programme/overview")
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        learner
            .get("/api/v1/admin/audit")
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        learner
            .get("/api/v1/admin/users")
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        learner
            .call(
                Method::PUT,
                &format!("/api/v1/admin/users/{learner_id}/roles/admin"),
            )
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        let page = learner.get("/programma").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.text.contains("Geen toegang"));
        assert_eq!(
            learner.get("/beheer/audit").await.status,
            StatusCode::FORBIDDEN
        );
        // Anonymous visitors are asked to log in.
        let mut anon = app.client();
        anon.get("/api/v1/programme/overview")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        assert_eq!(
            anon.get("/programma").await.location(),
            Some("/inloggen?volgende=%2Fprogramma")
        );

        let (mut pm, _) = app
            .logged_in("regio@example.nl", &[Role::ProgrammeManager])
            .await;
        let r = pm.get("/api/v1/programme/overview").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(
            r.json()["accounts_by_role"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );
        let page = pm.get("/programma").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("<svg class=\"bar\""), "chart drawn");
        pm.get("/api/v1/admin/audit")
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    for app in apps().await {
        let (mut c, _) = app
            .logged_in("koppeling@example.nl", &[Role::Provider])
            .await;
        let r = c
            .post_json(
                "/api/v1/me/tokens",
                serde_json::json!({"name": "HR-systeem", "valid_days": 30}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let body = r.json();
        let secret = body["secret"].as_str().expect("secret").to_owned();
        let id = body["token"]["id"].as_i64().expect("id");
        assert!(secret.starts_with("lp_"));
        assert!(body["token"]["expires_at"].is_string());

        // The secret is not stored: only its hash.
        let listed = c.get("/api/v1/me/tokens").await.text;
        assert!(!listed.contains(&secret));

        let mut integration = app.client();
        integration.bearer = Some(secret.clone());
        let me = integration.get("/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text);
        assert_eq!(me.json()["email"], "koppeling@example.nl");
        // Token requests need no CSRF protection and get none in their way.
        let r = integration
            .post_json("/api/v1/me/tokens", serde_json::json!({"name": "tweede"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);

        let mut bogus = app.client();
        bogus.bearer = Some("lp_ongeldig".into());
        bogus
            .get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);

        assert_eq!(
            c.call(Method::DELETE, &format!("/api/v1/me/tokens/{id}"))
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        integration
            .get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        c.call(Method::DELETE, &format!("/api/v1/me/tokens/{id}"))
            .await
            .assert_problem(StatusCode::NOT_FOUND);

        // Someone else cannot revoke my tokens.
        let r = c
            .post_json("/api/v1/me/tokens", serde_json::json!({"name": "derde"}))
            .await;
        let third = r.json()["token"]["id"].as_i64().expect("id");
        let (mut other, _) = app.logged_in("ander@example.nl", &[]).await;
        other
            .call(Method::DELETE, &format!("/api/v1/me/tokens/{third}"))
            .await
            .assert_problem(StatusCode::NOT_FOUND);

        // Expiry.
        let mut expiring = app.client();
        let r = c
            .post_json(
                "/api/v1/me/tokens",
                serde_json::json!({"name": "kort", "valid_days": 1}),
            )
            .await;
        expiring.bearer = r.json()["secret"].as_str().map(str::to_owned);
        assert_eq!(expiring.get("/api/v1/me").await.status, StatusCode::OK);
        app.clock.advance(86_400);
        expiring
            .get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);

        let events = app.audit_events().await;
        assert!(events.iter().any(|e| e == "api_token_created"));
        assert!(events.iter().any(|e| e == "api_token_revoked"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn tokens_can_be_made_and_revoked_on_the_account_page() {
    for app in apps().await {
        let (mut c, _) = app.logged_in("pagina@example.nl", &[]).await;
        let r = c
            .submit(
                "/account",
                "/account/sleutels",
                &[("name", "mijn script"), ("valid_days", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert!(r.text.contains("je ziet hem maar één keer"));
        let marker = "<code class=\"secret\">";
        let secret = r.text_between(marker, '<').expect("secret shown");
        let mut script = app.client();
        script.bearer = Some(secret);
        assert_eq!(script.get("/api/v1/me").await.status, StatusCode::OK);
        let id = c.get("/api/v1/me/tokens").await.json()[0]["id"]
            .as_i64()
            .expect("id");
        let r = c
            .submit(
                "/account",
                &format!("/account/sleutels/{id}/intrekken"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            script.get("/api/v1/me").await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = c
            .submit(
                "/account",
                "/account/sleutels",
                &[("name", ""), ("valid_days", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn password_change_ends_other_sessions() {
    for app in apps().await {
        let (mut laptop, _) = app.logged_in("wissel@example.nl", &[]).await;
        let mut phone = app.client_from("10.2.2.2:1");
        phone.log_in("wissel@example.nl", PASSWORD).await;
        let r = laptop.post_json("/api/v1/me/password", serde_json::json!({"current_password": "fout fout fout", "new_password": "nieuw wachtwoord!"})).await;
        r.assert_problem(StatusCode::UNAUTHORIZED);
        let r = laptop
            .post_json(
                "/api/v1/me/password",
                serde_json::json!({"current_password": PASSWORD, "new_password": "kort"}),
            )
            .await;
        assert_eq!(
            r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
            "password"
        );
        let r = laptop.post_json("/api/v1/me/password", serde_json::json!({"current_password": PASSWORD, "new_password": "nieuw wachtwoord!"})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        assert_eq!(laptop.get("/api/v1/me").await.status, StatusCode::OK);
        phone
            .get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        let mut again = app.client();
        let r = again.log_in("wissel@example.nl", "nieuw wachtwoord!").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            app.audit_events()
                .await
                .iter()
                .any(|e| e == "password_changed")
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn admins_manage_roles_and_every_access_to_personal_data_is_audited() {
    for app in apps().await {
        let (mut admin, admin_id) = app.logged_in("beheer@example.nl", &[Role::Admin]).await;
        let (mut learner, learner_id) = app.logged_in("lerende@example.nl", &[]).await;

        // Reading someone else's account: allowed for the admin, and logged.
        let r = admin
            .get(&format!("/api/v1/admin/users/{learner_id}"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["email"], "lerende@example.nl");
        let log = admin
            .get(&format!(
                "/api/v1/admin/audit?event=personal_data_accessed&user_id={learner_id}"
            ))
            .await
            .json();
        let entry = &log["items"][0];
        assert_eq!(entry["actor_user_id"], admin_id);
        assert_eq!(entry["subject_user_id"], learner_id);
        assert_eq!(entry["ip"], "10.1.1.1");
        // The learner cannot read the admin's account.
        learner
            .get(&format!("/api/v1/admin/users/{admin_id}"))
            .await
            .assert_problem(StatusCode::FORBIDDEN);

        // Role changes through the API and the page, each audited once: granting a role twice
        // answers the same both times and is audited only the first time.
        let roles = format!("/api/v1/admin/users/{learner_id}/roles");
        for _ in 0..2 {
            let r = admin.call(Method::PUT, &format!("{roles}/advisor")).await;
            assert_eq!(r.status, StatusCode::NO_CONTENT);
        }
        admin
            .call(Method::PUT, &format!("{roles}/koning"))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        admin
            .call(Method::PUT, "/api/v1/admin/users/999999/roles/advisor")
            .await
            .assert_problem(StatusCode::NOT_FOUND);
        assert_eq!(
            learner.get("/api/v1/me").await.json()["roles"],
            serde_json::json!(["learner", "advisor"])
        );
        let r = admin
            .submit(
                "/beheer/gebruikers",
                &format!("/beheer/gebruikers/{learner_id}/rollen"),
                &[("role", "programme_manager"), ("grant", "1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            learner.get("/api/v1/programme/overview").await.status,
            StatusCode::OK
        );
        let r = admin
            .call(Method::DELETE, &format!("{roles}/programme_manager"))
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        learner
            .get("/api/v1/programme/overview")
            .await
            .assert_problem(StatusCode::FORBIDDEN);

        let events = app.audit_events().await;
        assert_eq!(events.iter().filter(|e| *e == "role_granted").count(), 2);
        assert_eq!(events.iter().filter(|e| *e == "role_revoked").count(), 1);

        // The audit page and its paging.
        let page = admin.get("/beheer/audit?gebeurtenis=role_granted").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("role_granted") && !page.text.contains("<code>login</code>"));
        let first = admin.get("/api/v1/admin/audit?limit=2").await.json();
        let cursor = first["next_cursor"]
            .as_str()
            .expect("more pages")
            .to_owned();
        let second = admin
            .get(&format!("/api/v1/admin/audit?limit=2&cursor={cursor}"))
            .await
            .json();
        assert!(second["items"][0]["id"].as_i64() < first["items"][1]["id"].as_i64());
        admin
            .get("/api/v1/admin/audit?cursor=rommel")
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_learner_deletes_their_account_and_what_only_they_owned() {
    for app in apps().await {
        let (mut c, id) = app.logged_in("vertrek@example.nl", &[]).await;
        let (mut other, other_id) = app.logged_in("blijf@example.nl", &[]).await;
        let r = c
            .put_json(
                "/api/v1/me/profile",
                serde_json::json!({"municipality": "Maastricht"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);

        // Not confirmed, or the wrong password: nothing happens.
        let r = c
            .delete_json(
                "/api/v1/me",
                serde_json::json!({"password": PASSWORD, "confirm": false}),
            )
            .await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], "confirm");
        let r = c
            .delete_json(
                "/api/v1/me",
                serde_json::json!({"password": "niet mijn wachtwoord", "confirm": true}),
            )
            .await;
        r.assert_problem(StatusCode::UNAUTHORIZED);
        let page = c
            .submit(
                "/account",
                "/account/verwijderen",
                &[("delete_password", PASSWORD)],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.text
        );
        assert!(page.text.contains("Zet een vinkje"), "{}", page.text);
        assert!(app.store().user_by_id(id).await.expect("user").is_some());

        // Confirmed through the page: the account and its profile are gone, the session ends.
        let page = c
            .submit(
                "/account",
                "/account/verwijderen",
                &[("delete_password", PASSWORD), ("delete_confirm", "ja")],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("Je account is verwijderd"));
        assert!(app.store().user_by_id(id).await.expect("user").is_none());
        assert!(
            app.store()
                .profile(UserId::new(id))
                .await
                .expect("profile")
                .is_none()
        );
        c.get("/api/v1/me")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        let r = c.log_in("vertrek@example.nl", PASSWORD).await;
        r.assert_problem(StatusCode::UNAUTHORIZED);
        // The audit log keeps the fact, by id only; the other learner is untouched.
        assert!(
            app.audit_events()
                .await
                .contains(&"account_deleted".to_owned())
        );
        assert_eq!(other.get("/api/v1/me").await.json()["id"], other_id);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_last_administrator_cannot_delete_their_account() {
    for app in apps().await {
        let (mut admin, _) = app.logged_in("baas@example.nl", &[Role::Admin]).await;
        let body = serde_json::json!({"password": PASSWORD, "confirm": true});
        let r = admin.delete_json("/api/v1/me", body.clone()).await;
        r.assert_problem(StatusCode::CONFLICT);
        // With a second administrator, the first may go.
        app.user("tweede@example.nl", &[Role::Admin]).await;
        let r = admin.delete_json("/api/v1/me", body).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn signing_in_again_after_a_session_ended_keeps_you_signed_in() {
    for app in apps().await {
        let (mut browser, _) = app.logged_in("terug@example.nl", &[Role::Learner]).await;
        assert_eq!(browser.get("/account").await.status, StatusCode::OK);
        // Three hours later the session has ended (two hours idle at most). Signing in again
        // in the same browser, which still sends the old cookie: the new session must not be
        // removed along with the old one.
        app.clock.advance(3 * 3_600);
        let old_cookie_kept = browser.log_in("terug@example.nl", PASSWORD).await;
        assert!(
            old_cookie_kept.status.is_success(),
            "{}",
            old_cookie_kept.text
        );
        assert_eq!(
            browser.get("/account").await.status,
            StatusCode::OK,
            "signed in again"
        );
    }
}

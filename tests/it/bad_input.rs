//! Bad input never causes a 500 or a panic: every refusal is a 4xx with a problem+json body
//! (API) or an error page (HTML). The property test at the end throws arbitrary bytes and
//! arbitrary JSON at every JSON endpoint.

use crate::common::{Client, Response, TestApp, apps};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use leerpad_domain::role::Role;
use proptest::prelude::*;

fn raw(method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .body(Body::from(body))
        .expect("request")
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// POST `body`, declared as `content_type`, to `path`.
async fn post_raw(c: &mut Client, path: &str, content_type: &str, body: Vec<u8>) -> Response {
    c.send(raw(Method::POST, path, content_type, body)).await
}

#[tokio::test]
async fn malformed_requests_get_problem_details() {
    for app in apps().await {
        let mut c = app.client();
        let r = post_raw(&mut c, "/api/v1/accounts", JSON, b"{\"email\": ".to_vec()).await;
        let p = r.assert_problem(StatusCode::BAD_REQUEST);
        assert!(
            p["detail"].as_str().is_some_and(|d| d.contains("line 1")),
            "{p}"
        );

        let r = c.post_json("/api/v1/accounts", serde_json::json!({"email": "a@example.nl", "display_name": "A", "password": "0123456789", "is_admin": true})).await;
        let p = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            p["detail"]
                .as_str()
                .is_some_and(|d| d.contains("unknown field `is_admin`")),
            "{p}"
        );

        let r = c
            .post_json("/api/v1/accounts", serde_json::json!({"email": 5}))
            .await;
        r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);

        // Not UTF-8, not declared as JSON, too large.
        let big = format!("{{\"email\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
        for (content_type, body, status) in [
            (JSON, vec![b'"', 0xff, 0xfe, b'"'], StatusCode::BAD_REQUEST),
            (
                "text/plain",
                b"{}".to_vec(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (JSON, big.into_bytes(), StatusCode::PAYLOAD_TOO_LARGE),
        ] {
            let r = post_raw(&mut c, "/api/v1/accounts", content_type, body).await;
            r.assert_problem(status);
        }

        let long = "x".repeat(10_000);
        let r = c.post_json("/api/v1/accounts", serde_json::json!({"email": format!("{long}@example.nl"), "display_name": "A", "password": "0123456789"})).await;
        assert_eq!(
            r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
            "email"
        );
        let r = c.post_json("/api/v1/accounts", serde_json::json!({"email": "a@example.nl", "display_name": long, "password": "0123456789"})).await;
        assert_eq!(
            r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
            "display_name"
        );
        let r = c
            .post_json(
                "/api/v1/accounts",
                serde_json::json!({"email": "a@example.nl", "display_name": "A", "password": long}),
            )
            .await;
        assert_eq!(
            r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
            "password"
        );
        let r = c.log_in("a@example.nl", "y".repeat(100_000)).await;
        r.assert_problem(StatusCode::UNAUTHORIZED);
        // NUL characters (which PostgreSQL cannot store) in text fields are refused cleanly.
        for body in [
            serde_json::json!({"email": "a\u{0}@example.nl", "password": "0123456789"}),
            serde_json::json!({"email": "\u{0}", "password": "\u{0}"}),
        ] {
            let r = c.post_json("/api/v1/session", body).await;
            r.assert_problem(StatusCode::UNAUTHORIZED);
        }
        let nul = serde_json::json!({"email": "a\u{0}@example.nl", "display_name": "A\u{0}", "password": "0123456789\u{0}"});
        c.post_json("/api/v1/accounts", nul)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);

        let r = c.call(Method::PATCH, "/api/v1/accounts").await;
        let p = r.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(p["type"], "/problems/method-not-allowed");
        c.get("/api/v1/bestaat-niet")
            .await
            .assert_problem(StatusCode::NOT_FOUND);

        app.user("beheer@example.nl", &[Role::Admin]).await;
        let (mut admin, _) = (app.client(), ());
        admin
            .log_in("beheer@example.nl", crate::common::PASSWORD)
            .await;
        admin
            .get("/api/v1/admin/users/abc")
            .await
            .assert_problem(StatusCode::BAD_REQUEST);
        // An out-of-range limit is a validation problem naming it (see `limits_are_checked`).
        let p = admin
            .get("/api/v1/admin/users?limit=-1")
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p["errors"][0]["field"], "limit", "{p}");
        admin
            .get("/api/v1/admin/audit?user_id=%FF")
            .await
            .assert_problem(StatusCode::BAD_REQUEST);
        // NUL characters never reach the database, wherever they are sent.
        admin
            .get("/api/v1/admin/audit?event=x%00y")
            .await
            .assert_problem(StatusCode::BAD_REQUEST);
        assert_eq!(
            admin.get("/beheer/audit?gebeurtenis=%00").await.status,
            StatusCode::BAD_REQUEST
        );
        admin
            .get("/api/v1/skills?q=java%00")
            .await
            .assert_problem(StatusCode::BAD_REQUEST);
        app.cleanup().await;
    }
}

/// `limit` on every list endpoint: a whole number in its documented range, or a 422 problem
/// naming `limit` (never silently clamped). Absent or empty means the default.
#[tokio::test]
async fn limits_are_checked() {
    for app in apps().await {
        let (mut admin, _) = app.logged_in("beheer@example.nl", &[Role::Admin]).await;
        for (path, max) in [
            ("/api/v1/admin/users?", 100),
            ("/api/v1/admin/audit?", 100),
            ("/api/v1/me/matches?", 100),
            ("/api/v1/skills?q=lassen&", 50),
            ("/api/v1/occupations?q=lasser&", 50),
            ("/api/v1/offers?", 100),
        ] {
            for bad in [
                "0".to_owned(),
                (max + 1).to_string(),
                "2147483648".to_owned(),
                "99999999999999999999".to_owned(),
                "-1".to_owned(),
                "tien".to_owned(),
            ] {
                let url = format!("{path}limit={bad}");
                let r = admin.get(&url).await;
                let p = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(p["type"], "/problems/validation", "{url}: {p}");
                assert_eq!(p["errors"][0]["field"], "limit", "{url}: {p}");
            }
            for good in ["1".to_owned(), max.to_string(), String::new()] {
                let url = format!("{path}limit={good}");
                let r = admin.get(&url).await;
                assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text);
            }
        }
        let page = admin.get("/api/v1/admin/users?limit=1").await.json();
        assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn bad_form_posts_get_error_pages() {
    for app in apps().await {
        let mut c = app.client();
        let token = c.get("/inloggen").await.csrf();
        let mut body = format!("_csrf={token}&email=").into_bytes();
        body.extend_from_slice(&[0xff, 0xfe]);
        let r = post_raw(&mut c, "/inloggen", FORM, body).await;
        assert!(r.status.is_client_error(), "{}", r.status);
        let big = format!("_csrf={token}&email={}", "a".repeat(2 * 1024 * 1024));
        let r = post_raw(&mut c, "/inloggen", FORM, big.into_bytes()).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(r.text.contains("Te veel gegevens"));
        let r = c.get("/bestaat-niet").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text.contains("<html lang=\"nl\">") && r.text.contains("Pagina niet gevonden"));
        let r = c.call(Method::DELETE, "/inloggen").await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(r.text.contains("Dit kan hier niet"));
        app.cleanup().await;
    }
}

/// JSON endpoints and whether they need a signed-in caller.
const JSON_ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/api/v1/accounts"),
    ("POST", "/api/v1/session"),
    ("POST", "/api/v1/me/password"),
    ("POST", "/api/v1/me/tokens"),
    ("POST", "/api/v1/offers:batch"),
    ("PUT", "/api/v1/me/provider"),
    ("POST", "/api/v1/skills/extract"),
];

const FIELD_NAMES: &[&str] = &[
    "email",
    "password",
    "display_name",
    "locale",
    "name",
    "valid_days",
    "current_password",
    "new_password",
    "offers",
    "skip_invalid",
    "kvk",
    "accreditations",
    "provider_offer_id",
    "title",
    "kind",
    "modality",
    "runs",
    "costs",
    "text",
    "lang",
];

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        ".{0,300}".prop_map(serde_json::Value::from),
        "[a-z]{1,20}@[a-z]{1,10}\\.nl".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
                        "\\PC{0,12}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        // Near-valid objects with every known field, some with odd values.
        prop::collection::btree_map(
            prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
            json_value(),
            0..8
        )
        .prop_map(|m| serde_json::to_vec(&m).unwrap_or_default()),
    ]
}

async fn assert_graceful(
    c: &mut Client,
    method: &str,
    path: &str,
    bytes: Vec<u8>,
) -> Result<(), TestCaseError> {
    let method: Method = method
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let r = c.send(raw(method, path, JSON, bytes)).await;
    prop_assert!(
        !r.status.is_server_error(),
        "{path} answered {} {}",
        r.status,
        r.text
    );
    if r.status.is_client_error() {
        prop_assert_eq!(r.header("content-type"), Some("application/problem+json"));
        let v: serde_json::Value = serde_json::from_str(&r.text)
            .map_err(|e| TestCaseError::fail(format!("{e}: {}", r.text)))?;
        prop_assert_eq!(v["status"].as_u64(), Some(u64::from(r.status.as_u16())));
    }
    Ok(())
}

#[test]
fn json_endpoints_never_fail_on_arbitrary_input() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let apps: Vec<TestApp> = rt.block_on(apps());
    for app in &apps {
        let mut callers = vec![app.client()];
        let signed_in = rt.block_on(async {
            app.user("fuzz@example.nl", &[Role::Admin]).await;
            let mut c = app.client();
            c.log_in("fuzz@example.nl", crate::common::PASSWORD).await;
            let r = c
                .post_json("/api/v1/me/tokens", serde_json::json!({"name": "fuzz"}))
                .await;
            let mut t = app.client();
            t.bearer = r.json()["secret"].as_str().map(str::to_owned);
            t
        });
        callers.push(signed_in);
        // A fixed seed keeps CI repeatable; change it (or raise `cases`) to explore further.
        let config = ProptestConfig {
            cases: 128,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_122),
            ..ProptestConfig::default()
        };
        for caller in &callers {
            for (method, path) in JSON_ENDPOINTS {
                proptest!(config.clone(), |(bytes in body())| {
                    let mut c = caller.clone();
                    rt.block_on(assert_graceful(&mut c, method, path, bytes))?;
                });
            }
            // Arbitrary path segments and query strings on the parameterised endpoints.
            proptest!(config.clone(), |(segment in "\\PC{0,40}", query in "\\PC{0,80}")| {
                let mut c = caller.clone();
                let seg = common_encode(&segment);
                let q = common_encode(&query);
                for (m, p) in [
                    ("DELETE", format!("/api/v1/me/tokens/{seg}")),
                    ("GET", format!("/api/v1/admin/users/{seg}")),
                    ("PUT", format!("/api/v1/admin/users/1/roles/{seg}")),
                    ("GET", format!("/api/v1/admin/audit?cursor={q}&limit={seg}")),
                    ("GET", format!("/api/v1/admin/users?{q}")),
                    ("GET", format!("/api/v1/offers?{q}")),
                    ("GET", format!("/api/v1/offers?q={seg}&kind={seg}")),
                    ("GET", format!("/api/v1/offers/{seg}")),
                    ("GET", format!("/api/v1/offers/changes?since={seg}&{q}")),
                ] {
                    rt.block_on(assert_graceful(&mut c, m, &p, Vec::new()))?;
                }
            });
        }
    }
    for app in apps {
        rt.block_on(app.cleanup());
    }
}

fn common_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

//! Health, readiness, metrics, security headers, compression, request ids, the OpenAPI
//! document, static assets and the interface language.

use crate::common::{apps, apps_with};
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test]
async fn health_and_readiness_report_the_database() {
    for app in apps().await {
        let mut c = app.client();
        let h = c.get("/healthz").await;
        assert_eq!(h.status, StatusCode::OK);
        let r = c.get("/readyz").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["database"], app.engine());
        app.db.store.close().await;
        let r = c.get("/readyz").await;
        r.assert_problem(StatusCode::SERVICE_UNAVAILABLE);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    for app in apps().await {
        let mut c = app.client();
        for path in ["/", "/inloggen", "/api/v1/me", "/bestaat-niet", "/healthz"] {
            let r = c.get(path).await;
            let csp = r.header("content-security-policy").expect("CSP");
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{csp}"
            );
            assert!(csp.contains("frame-ancestors 'none'"));
            assert_eq!(
                r.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(
                r.header("referrer-policy"),
                Some("strict-origin-when-cross-origin")
            );
            assert!(
                r.header("x-request-id").is_some_and(|id| !id.is_empty()),
                "{path}"
            );
            assert!(
                r.header("strict-transport-security").is_none(),
                "no HSTS over plain HTTP"
            );
        }
        // A request id from a proxy is kept.
        let req = Request::get("/healthz")
            .header("x-request-id", "proxy-42")
            .body(Body::empty())
            .expect("request");
        assert_eq!(c.send(req).await.header("x-request-id"), Some("proxy-42"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_hsts_is_sent() {
    let web = leerpad_web::WebConfig {
        secure_cookies: true,
        ..Default::default()
    };
    for app in apps_with(web).await {
        app.user("tls@example.nl", &[]).await;
        let mut c = app.client();
        let r = c.log_in("tls@example.nl", crate::common::PASSWORD).await;
        let cookie = r.header("set-cookie").expect("cookie");
        assert!(
            cookie.contains("Secure") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        assert!(r.header("strict-transport-security").is_some());
        app.cleanup().await;
    }
}

#[tokio::test]
async fn pages_are_compressed_and_metrics_count_requests() {
    for app in apps().await {
        let mut c = app.client();
        let req = Request::get("/static/leerpad.css")
            .header("accept-encoding", "gzip")
            .body(Body::empty())
            .expect("request");
        let r = c.send(req).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-encoding"), Some("gzip"));
        assert_eq!(r.header("content-type"), Some("text/css; charset=utf-8"));
        c.get("/inloggen").await;
        let m = c.get("/metrics").await;
        assert_eq!(m.status, StatusCode::OK);
        assert!(
            m.text
                .contains("http_requests_total{method=\"GET\",route=\"/inloggen\",status=\"200\"}"),
            "{}",
            m.text
        );
        assert!(m.text.contains("http_request_duration_seconds"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn dutch_by_default_english_on_request_and_remembered() {
    for app in apps().await {
        let mut c = app.client();
        let nl = c.get("/").await;
        assert!(nl.text.contains("<html lang=\"nl\">"));
        assert!(nl.text.contains("Ik wil verder in mijn vak"));
        assert!(nl.text.contains("href=\"/?lang=en\""), "language switch");
        let en = c.get("/?lang=en").await;
        assert!(en.text.contains("<html lang=\"en\">"));
        assert!(en.text.contains("I want to grow in my job"));
        let later = c.get("/inloggen").await;
        assert!(later.text.contains("<html lang=\"en\">") && later.text.contains("Log in"));
        let r = c.get("/bestaat-niet").await;
        assert!(r.text.contains("Page not found"));
        assert!(c.get("/?lang=nl").await.text.contains("<html lang=\"nl\">"));
        assert!(
            c.get("/?lang=xx").await.text.contains("<html lang=\"nl\">"),
            "unknown codes are ignored"
        );
        // Every page has a skip link, a main landmark and the ESCO attribution, in the page's
        // language (no English sentence on a Dutch page).
        for path in ["/", "/inloggen", "/registreren"] {
            let p = c.get(path).await;
            assert!(p.text.contains("class=\"skip-link\" href=\"#main\""));
            assert!(p.text.contains("<main id=\"main\""));
            assert!(
                p.text
                    .contains("ESCO-classificatie van de Europese Commissie")
            );
            assert!(!p.text.contains("ESCO classification"));
        }
        for path in ["/", "/inloggen", "/registreren"] {
            let en = c.get(&format!("{path}?lang=en")).await;
            assert!(
                en.text.contains(leerpad_esco::ATTRIBUTION),
                "{path}?lang=en"
            );
        }
        app.cleanup().await;
    }
}

/// The OpenAPI document is generated from the code; `docs/openapi.json` is its reviewed copy.
/// Regenerate with `LEERPAD_UPDATE_SNAPSHOTS=1 cargo test --test it operations::`.
#[tokio::test]
async fn openapi_document_describes_every_api_route() {
    let app = apps().await.into_iter().next().expect("sqlite");
    let mut c = app.client();
    let r = c.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/accounts",
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/me/tokens",
        "/api/v1/me/tokens/{id}",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{id}",
        "/api/v1/admin/users/{id}/roles/{role}",
        "/api/v1/admin/audit",
        "/api/v1/programme/overview",
    ] {
        assert!(paths.contains_key(p), "{p} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"]["ProblemBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    let pretty = serde_json::to_string_pretty(&doc).expect("json") + "\n";
    if std::env::var_os("LEERPAD_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &pretty).expect("write snapshot");
    }
    let committed = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        committed == pretty,
        "docs/openapi.json is out of date: run LEERPAD_UPDATE_SNAPSHOTS=1 cargo test --test it operations::"
    );
    app.cleanup().await;
}

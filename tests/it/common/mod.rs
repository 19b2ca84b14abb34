//! Test harness: the whole application (router, middleware, use cases, real storage) driven
//! in-process, once per database engine, with a clock the test moves by hand.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use leerpad_app::catalogue::Catalogue;
use leerpad_app::financing::Financing;
use leerpad_app::matching::Matching;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_app::{Accounts, AccountsConfig, Adapters, HashCost, Services};
use leerpad_domain::clock::ManualClock;
use leerpad_domain::ports::Store;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_search::SearchIndex;
use leerpad_storage::testing::{self, TestDb};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "een lang wachtwoord";
pub const START: i64 = 1_800_000_000;

pub struct TestApp {
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub accounts: Accounts,
    pub catalogue: Catalogue,
    pub financing: Arc<Financing>,
    pub matching: Arc<Matching>,
    pub advice: Arc<leerpad_app::advice::Advice>,
    pub jobs: leerpad_app::jobs::Jobs,
    pub mailbox: leerpad_app::mail::Mailbox,
    pub chat: Arc<leerpad_app::chat::Chat>,
    pub ledger: Arc<leerpad_app::ledger::Ledger>,
    pub enrolments: Arc<leerpad_app::enrolment::Enrolments>,
    pub calls: Arc<leerpad_app::calls::Calls>,
    pub quality: Arc<leerpad_app::quality::Quality>,
    pub store: Arc<dyn Store>,
    pub db: TestDb,
}

impl TestApp {
    pub fn engine(&self) -> &'static str {
        self.db.engine()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn client(&self) -> Client {
        self.client_from("10.1.1.1:5000")
    }

    pub fn client_from(&self, addr: &str) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
            addr: addr.parse().expect("socket address"),
            bearer: None,
        }
    }

    /// An account created directly through the use cases.
    pub async fn user(&self, email: &str, roles: &[Role]) -> i64 {
        self.accounts
            .create_user(email, "Test", PASSWORD, RoleSet::new(roles.iter().copied()))
            .await
            .expect("create user")
            .user
            .id
            .get()
    }

    /// A client logged in (through the API) as a new account with `roles`.
    pub async fn logged_in(&self, email: &str, roles: &[Role]) -> (Client, i64) {
        let id = self.user(email, roles).await;
        let mut c = self.client();
        let r = c.log_in(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        (c, id)
    }

    /// Fixture: a provider account (logged in) whose organisation is registered.
    pub async fn provider(&self, email: &str, kvk: &str, name: &str) -> Client {
        let (mut provider, user_id) = self.logged_in(email, &[Role::Provider]).await;
        let r = provider
            .put_json(
                "/api/v1/me/provider",
                serde_json::json!({"kvk": kvk, "name": name, "accreditations": ["NRTO"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // A programme manager verified the organisation, so its offers are published.
        let id = r.json()["id"].as_i64().expect("provider id");
        self.store()
            .verify_provider(
                leerpad_domain::shared::ProviderId::new(id),
                leerpad_domain::shared::UserId::new(user_id),
                leerpad_domain::Clock::now(self.clock.as_ref()),
            )
            .await
            .expect("verified");
        provider
    }

    /// Fixture: a provider that published `offers` (as `POST /api/v1/offers:batch` takes
    /// them), indexed; the offers' ids in order.
    pub async fn provider_with_offers(&self, offers: serde_json::Value) -> Vec<i64> {
        let mut provider = self
            .provider("opleider@example.nl", "12345678", "Leerhuis Limburg")
            .await;
        let r = provider
            .post_json(
                "/api/v1/offers:batch",
                serde_json::json!({ "offers": offers }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        self.catalogue.sync_index().await.expect("index");
        r.json()["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["offer_id"].as_i64()).collect())
            .unwrap_or_default()
    }

    pub async fn audit_events(&self) -> Vec<String> {
        let q = leerpad_domain::accounts::ports::AuditQuery {
            limit: 1000,
            ..Default::default()
        };
        self.store()
            .list_audit(&q)
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.event)
            .collect()
    }

    pub async fn cleanup(self) {
        self.db.cleanup().await;
    }
}

/// The application on every engine available (SQLite always; PostgreSQL when reachable, and
/// always under CI=true).
/// The bundled taxonomy with its indexes, built once per test process.
pub fn taxonomy() -> Arc<TaxonomyService> {
    static SERVICE: std::sync::OnceLock<Arc<TaxonomyService>> = std::sync::OnceLock::new();
    SERVICE
        .get_or_init(|| {
            Arc::new(
                TaxonomyService::new(
                    leerpad_esco::bundled().expect("bundled taxonomy"),
                    &leerpad_esco::bundled_job_offers(),
                )
                .with_senses(leerpad_esco::bundled_senses().expect("bundled word senses")),
            )
        })
        .clone()
}

pub async fn apps() -> Vec<TestApp> {
    apps_with(leerpad_web::WebConfig::default()).await
}

pub async fn apps_with(web: leerpad_web::WebConfig) -> Vec<TestApp> {
    let mut out = Vec::new();
    for db in testing::all_engines().await {
        let clock = Arc::new(ManualClock::new(START));
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let config = AccountsConfig {
            hash_cost: HashCost::Fast,
            ..Default::default()
        };
        let regions = Arc::new(leerpad_formats::regions::bundled());
        let index = Arc::new(SearchIndex::in_memory(&regions).expect("search index"));
        let services = Services::new(Adapters {
            store: store.clone(),
            index,
            taxonomy: taxonomy(),
            regions,
            clock: clock.clone(),
            accounts: config,
            chat_bus: leerpad_storage::chat_bus(&db.store)
                .await
                .expect("chat bus"),
            chat: leerpad_app::chat::ChatConfig::default(),
        });
        let router = leerpad_web::router(leerpad_web::AppState::new(services.clone(), web.clone()));
        eprintln!("-- running on {}", db.engine());
        out.push(TestApp {
            router,
            clock,
            accounts: services.accounts,
            catalogue: services.catalogue,
            financing: services.financing,
            matching: services.matching,
            advice: services.advice,
            jobs: services.jobs,
            mailbox: services.mailbox,
            chat: services.chat,
            ledger: services.ledger,
            enrolments: services.enrolments,
            calls: services.calls,
            quality: services.quality,
            store,
            db,
        });
    }
    out
}

#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    /// Assert an RFC 9457 problem with this status.
    pub fn assert_problem(&self, status: StatusCode) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        let body = self.json();
        assert_eq!(body["status"], status.as_u16());
        assert!(
            body["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("/problems/")),
            "{body}"
        );
        assert!(body["title"].is_string());
        body
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        self.text_between("name=\"_csrf\" value=\"", '"')
            .expect("page has a CSRF field")
    }

    /// What a browser would send for the form posting to `action`: text and hidden inputs,
    /// ticked boxes, selected options and text areas (entities of `&`, `<`, `>`, quotes undone).
    pub fn form_fields(&self, action: &str) -> Vec<(String, String)> {
        fn attr(tag: &str, name: &str) -> Option<String> {
            let marker = format!(" {name}=\"");
            let (_, rest) = tag.split_once(&marker)?;
            rest.split('"').next().map(unescape)
        }
        fn unescape(s: &str) -> String {
            s.replace("&quot;", "\"")
                .replace("&#34;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        }
        let start = self
            .text
            .find(&format!("action=\"{action}\""))
            .unwrap_or_else(|| panic!("no form posting to {action}"));
        let form = &self.text[start..];
        let form = &form[..form.find("</form>").unwrap_or(form.len())];
        let mut out = Vec::new();
        let mut rest = form;
        while let Some(i) = rest.find('<') {
            rest = &rest[i..];
            let end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..end];
            if tag.starts_with("<input") {
                let kind = attr(tag, "type").unwrap_or_default();
                let ticked = kind != "checkbox" || tag.contains(" checked");
                if let (Some(name), true) = (attr(tag, "name"), ticked) {
                    out.push((name, attr(tag, "value").unwrap_or_default()));
                }
            } else if tag.starts_with("<textarea") {
                let body = &rest[end + 1..];
                let value = &body[..body.find("</textarea>").unwrap_or(0)];
                if let Some(name) = attr(tag, "name") {
                    out.push((name, unescape(value)));
                }
            } else if tag.starts_with("<select") {
                let body = &rest[end + 1..];
                let body = &body[..body.find("</select>").unwrap_or(0)];
                let chosen = body
                    .split("<option")
                    .find(|o| o.contains(" selected"))
                    .and_then(|o| attr(o, "value"))
                    .unwrap_or_default();
                if let Some(name) = attr(tag, "name") {
                    out.push((name, chosen));
                }
            }
            rest = &rest[end.min(rest.len())..];
            rest = rest.get(1..).unwrap_or("");
        }
        out
    }

    /// The text after the first `marker` in the body, up to `end` (or to the end of the body).
    pub fn text_between(&self, marker: &str, end: char) -> Option<String> {
        let (_, after) = self.text.split_once(marker)?;
        after.split(end).next().map(str::to_owned)
    }
}

/// The string `key` of each item of the JSON array `items` ("" where it is no string).
pub fn strings(items: &serde_json::Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i[key].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The fields a validation problem names, in order.
pub fn error_fields(problem: &serde_json::Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

/// A browser-like client: keeps cookies, sends a fixed client address.
#[derive(Clone)]
pub struct Client {
    router: Router,
    pub cookies: BTreeMap<String, String>,
    addr: SocketAddr,
    pub bearer: Option<String>,
}

impl Client {
    pub async fn send(&mut self, mut req: Request<Body>) -> Response {
        req.extensions_mut().insert(ConnectInfo(self.addr));
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("cookie header"));
        }
        if let Some(token) = &self.bearer {
            req.headers_mut().insert(
                header::AUTHORIZATION,
                format!("Bearer {token}").parse().expect("auth header"),
            );
        }
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        for set in res.headers().get_all(header::SET_COOKIE) {
            let text = set.to_str().expect("cookie text");
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Response {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Fetch `page`, then post `fields` with the page's CSRF token to `action`.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.get(page).await.csrf();
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.form(action, &all).await
    }

    /// Fetch `page`, then post a multipart form to `action` with its CSRF token, `fields`, and
    /// one file (`file_field`, named `file_name`), as a browser sends a file upload.
    pub async fn upload(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Response {
        let token = self.get(page).await.csrf();
        let boundary = "leerpad-test-boundary-7f3a";
        let mut body: Vec<u8> = Vec::new();
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        for (name, value) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        let (field, file_name, bytes) = file;
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::post(action)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    pub async fn json(&mut self, method: Method, path: &str, body: serde_json::Value) -> Response {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(req).await
    }

    /// `POST` with a JSON body.
    pub async fn post_json(&mut self, path: &str, body: serde_json::Value) -> Response {
        self.json(Method::POST, path, body).await
    }

    /// `PUT` with a JSON body.
    pub async fn put_json(&mut self, path: &str, body: serde_json::Value) -> Response {
        self.json(Method::PUT, path, body).await
    }

    /// `DELETE` with a JSON body.
    pub async fn delete_json(&mut self, path: &str, body: serde_json::Value) -> Response {
        self.json(Method::DELETE, path, body).await
    }

    /// Log in through the login page (with its CSRF token).
    pub async fn log_in_page(&mut self, email: &str, password: &str) -> Response {
        self.submit(
            "/inloggen",
            "/inloggen",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Register through the registration page, the password typed twice.
    pub async fn register_page(
        &mut self,
        display_name: &str,
        email: &str,
        password: &str,
    ) -> Response {
        self.submit(
            "/registreren",
            "/registreren",
            &[
                ("display_name", display_name),
                ("email", email),
                ("password", password),
                ("password_confirm", password),
            ],
        )
        .await
    }

    /// Log in through the API with e-mail address and password.
    pub async fn log_in(&mut self, email: impl AsRef<str>, password: impl AsRef<str>) -> Response {
        self.json(
            Method::POST,
            "/api/v1/session",
            serde_json::json!({"email": email.as_ref(), "password": password.as_ref()}),
        )
        .await
    }

    pub async fn call(&mut self, method: Method, path: &str) -> Response {
        self.send(
            Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }
}

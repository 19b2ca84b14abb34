//! The middleware stack and the operational routes (health, readiness, metrics, static files).

use crate::error::{PROBLEM_JSON, Problem};
use crate::i18n::Lang;
use crate::identity;
use crate::request::is_api_path;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

const LANG_COOKIE: &str = "lp_lang";
static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// `Content-Security-Policy`: only our own scripts, styles and forms; no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                   base-uri 'none'; object-src 'none'";

/// Request ids: a per-process random prefix and a counter, short enough to read in logs.
#[derive(Clone)]
struct RequestIds {
    prefix: String,
    counter: std::sync::Arc<AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _req: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Wrap the application in the middleware stack (outermost first in reading order below).
pub fn wrap(app: Router, state: AppState) -> Router {
    let ids = RequestIds {
        prefix: leerpad_app::secret::random_token()
            .unwrap_or_default()
            .chars()
            .take(8)
            .collect(),
        counter: Default::default(),
    };
    let mut app = app
        .layer(from_fn_with_state(state.clone(), identity::identify))
        .layer(from_fn(refuse_nul))
        .layer(DefaultBodyLimit::max(state.config().body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config().request_timeout,
        ))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("a handler panicked");
            Problem::from_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
        }))
        .layer(from_fn(finish_errors))
        .layer(from_fn(no_store_when_personal))
        .layer(from_fn(negotiate_lang))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // No camera or microphone, except where a page allows them for itself (a conversation,
        // for its video call).
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ));
    if state.config().secure_cookies {
        app = app.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    app.layer(from_fn(record_metrics))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), ids))
}

/// Answers to a signed-in caller (session cookie or API token) may hold personal data, so no
/// browser or shared cache may keep them: `Cache-Control: no-store` unless the handler chose.
async fn no_store_when_personal(req: Request, next: Next) -> Response {
    let session = format!("{}=", identity::SESSION_COOKIE);
    let personal = req.headers().contains_key(header::AUTHORIZATION)
        || req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|c| c.contains(&session)));
    let mut res = next.run(req).await;
    if personal && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuse a NUL character (`%00`) in the path or query string of any request. PostgreSQL cannot
/// store or compare text containing NUL while SQLite can, so letting one through would make the
/// two engines answer differently (and PostgreSQL with a 500). Bodies are checked field by field
/// by the domain's input rules.
async fn refuse_nul(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return Problem::bad_request(
            "the address contains a NUL character (%00), which is never valid input",
        )
        .into_response();
    }
    next.run(req).await
}

/// Count requests and their duration per route and status for `/metrics`.
async fn record_metrics(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}

/// Pick the interface language: `?lang=` (remembered in a cookie), the cookie, or Dutch.
async fn negotiate_lang(jar: CookieJar, mut req: Request, next: Next) -> Response {
    let from_query = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "lang"))
        .and_then(|(_, v)| Lang::parse(&v));
    let lang = from_query
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    let res = next.run(req).await;
    match from_query {
        Some(l) => {
            let cookie = Cookie::build((LANG_COOKIE, l.code()))
                .path("/")
                .same_site(SameSite::Lax)
                .max_age(time::Duration::days(365))
                .build();
            (jar.add(cookie), res).into_response()
        }
        None => res,
    }
}

/// Give every error a body: problem+json under `/api`, an error page in the visitor's language
/// elsewhere. Errors from the router and from layers (404, 405, 408, 413) arrive bare.
async fn finish_errors(req: Request, next: Next) -> Response {
    let api = is_api_path(req.uri().path());
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    let problem = res.extensions().get::<Problem>().cloned();
    if api {
        if is_problem {
            return res;
        }
        let mut out = Problem::from_status(status).into_response();
        for name in [header::WWW_AUTHENTICATE, header::RETRY_AFTER, header::ALLOW] {
            if let Some(v) = res.headers().get(&name) {
                out.headers_mut().insert(name, v.clone());
            }
        }
        return out;
    }
    if is_problem || problem.is_some() || res.headers().get(header::CONTENT_TYPE).is_none() {
        let problem = problem.unwrap_or_else(|| Problem::from_status(status));
        let (parts, _) = res.into_parts();
        let mut page = crate::pages::error_page(lang, &problem);
        for name in [header::SET_COOKIE, header::RETRY_AFTER] {
            for v in parts.headers.get_all(&name) {
                page.headers_mut().append(name.clone(), v.clone());
            }
        }
        return page;
    }
    res
}

/// Health, readiness, metrics and static assets.
pub fn operational_routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/static/{file}", get(crate::assets::serve))
}

/// Liveness: the process answers.
async fn healthz() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.store();
    match store.ping().await {
        Ok(()) => axum::Json(serde_json::json!({ "status": "ready", "database": store.engine() }))
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not-ready",
                "the database does not answer",
            )
            .into_response()
        }
    }
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics().render(),
    )
}

//! Leerpad's web adapter: server-rendered HTML pages and the JSON API (`/api/v1`), both thin
//! layers over the use cases in `leerpad-app`.
//!
//! A request passes, outside in: request id → tracing → metrics → timeout → compression →
//! security headers → problem/error-page rendering → language → identity (session cookie or
//! API token) → the route. Handlers declare what they may do with the [`authz::Authz`]
//! extractor; nothing else in the web layer decides who may do what.

mod accounts;
mod advice;
pub mod api;
mod assets;
pub mod authz;
mod calls;
mod catalogue;
mod chat;
mod csrf;
mod employers;
mod enrolment;
pub mod error;
mod explain;
mod extract;
mod financing;
mod i18n;
mod identity;
mod ledger;
mod limits;
mod mail;
mod matching;
mod middleware;
mod pages;
mod quality;
mod regions;
mod request;
pub mod search_params;
mod state;
mod taxonomy;

pub use i18n::Lang;
pub use mail::{MailSetupError, MailTexts, Smtp};
pub use state::{AppState, WebConfig};

use axum::Router;
use std::net::SocketAddr;

/// The complete application: pages, API, health, metrics, static assets, with all middleware.
pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi = std::sync::Arc::new(openapi);
    let app = Router::new()
        .merge(pages::router())
        .merge(api_router)
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(middleware::operational_routes())
        .fallback(error::not_found)
        .with_state(state.clone());
    middleware::wrap(app, state)
}

/// Serve until SIGTERM or ctrl-c, then finish in-flight requests and return.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for ctrl-c: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}

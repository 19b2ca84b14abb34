//! Shared application state handed to every handler.

use leerpad_app::catalogue::Catalogue;
use leerpad_app::financing::Financing;
use leerpad_app::matching::Matching;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_app::{Accounts, Services};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS; on whenever Leerpad is served over TLS (directly or
    /// behind a proxy).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Requests taking longer are answered with 408.
    pub request_timeout: Duration,
    /// Take the client address from the last `X-Forwarded-For` hop, the one the proxy in front
    /// appended (only behind a proxy you run).
    pub trust_forwarded_for: bool,
    /// Skill extractions and title matches an anonymous address may ask per minute.
    pub anonymous_heavy_per_minute: u32,
    /// STUN/TURN servers for video calls (`stun:…`, `turn:…`; a deployment adds coturn).
    /// Empty: browsers connect directly, which works on one network.
    pub ice_servers: Vec<String>,
    /// An external video room offered beside the built-in call, `{id}` standing for the
    /// conversation (e.g. `https://meet.jit.si/leerpad-{id}`).
    pub video_link: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_forwarded_for: false,
            anonymous_heavy_per_minute: 20,
            ice_servers: Vec::new(),
            video_link: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    services: Services,
    config: WebConfig,
    metrics: PrometheusHandle,
    heavy_work: crate::limits::HeavyWorkLimiter,
    chat_limits: crate::chat::MessageLimiter,
    chat_hub: crate::chat::hub::Hub,
}

/// The Prometheus recorder is process-global; several apps in one process (tests) share it.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics may be empty");
            }
            handle
        })
        .clone()
}

impl AppState {
    /// The web state over the use cases (built once by [`Services::new`]).
    pub fn new(services: Services, config: WebConfig) -> Self {
        AppState {
            inner: Arc::new(Inner {
                services,
                heavy_work: crate::limits::HeavyWorkLimiter::new(config.anonymous_heavy_per_minute),
                config,
                metrics: metrics_handle(),
                chat_limits: crate::chat::MessageLimiter::default(),
                chat_hub: crate::chat::hub::Hub::default(),
            }),
        }
    }

    pub fn accounts(&self) -> &Accounts {
        &self.inner.services.accounts
    }

    pub fn taxonomy(&self) -> &TaxonomyService {
        &self.inner.services.taxonomy
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.inner.services.catalogue
    }

    pub fn matching(&self) -> &Arc<Matching> {
        &self.inner.services.matching
    }

    pub fn financing(&self) -> &Financing {
        &self.inner.services.financing
    }

    pub fn advice(&self) -> &leerpad_app::advice::Advice {
        &self.inner.services.advice
    }

    pub fn enrolments(&self) -> &leerpad_app::enrolment::Enrolments {
        &self.inner.services.enrolments
    }

    pub fn calls(&self) -> &leerpad_app::calls::Calls {
        &self.inner.services.calls
    }

    pub fn quality(&self) -> &leerpad_app::quality::Quality {
        &self.inner.services.quality
    }

    pub fn employers(&self) -> &leerpad_app::employers::Employers {
        &self.inner.services.employers
    }

    pub fn regional(&self) -> &leerpad_app::regions::Regional {
        &self.inner.services.regional
    }

    pub fn ledger(&self) -> &leerpad_app::ledger::Ledger {
        &self.inner.services.ledger
    }

    pub fn chat(&self) -> &std::sync::Arc<leerpad_app::chat::Chat> {
        &self.inner.services.chat
    }

    /// This server's live chat connections, by conversation.
    pub fn chat_hub(&self) -> &crate::chat::hub::Hub {
        &self.inner.chat_hub
    }

    /// How many chat messages a person may send.
    pub fn chat_limits(&self) -> &crate::chat::MessageLimiter {
        &self.inner.chat_limits
    }

    pub fn mailbox(&self) -> &leerpad_app::mail::Mailbox {
        &self.inner.services.mailbox
    }

    pub fn clock(&self) -> &Arc<dyn leerpad_domain::clock::Clock> {
        &self.inner.services.clock
    }

    /// The whole store, for health checks only.
    pub fn store(&self) -> &Arc<dyn leerpad_domain::ports::Store> {
        &self.inner.services.store
    }

    /// The per-address limit on heavy work by anonymous callers.
    pub fn heavy_work(&self) -> &crate::limits::HeavyWorkLimiter {
        &self.inner.heavy_work
    }

    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    pub fn metrics(&self) -> &PrometheusHandle {
        &self.inner.metrics
    }
}

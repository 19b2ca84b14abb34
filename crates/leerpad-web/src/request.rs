//! Facts about a request that several layers ask (identity, authorization, CSRF, error pages):
//! whether it is for a program or a person, and whether a browser sent it from our own pages.
//! A leaf module, so those layers do not import each other for it.

use axum::http::{HeaderMap, header};

/// Paths read by programs rather than people (the API and the operational endpoints): their
/// errors are problem+json, never HTML pages or login redirects.
pub(crate) fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// Whether the browser says this request comes from our own pages. Requests without either
/// header (non-browser clients) pass; browsers send them on every cross-origin POST.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => false,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn programs_and_people_are_told_apart() {
        assert!(is_api_path("/api/v1/offers"));
        assert!(is_api_path("/healthz"));
        assert!(!is_api_path("/zoeken"));
    }

    #[test]
    fn cross_site_requests_are_refused() {
        assert!(same_origin(&headers(&[])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&headers(&[
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "localhost:8080")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "localhost:8080")
        ])));
    }
}

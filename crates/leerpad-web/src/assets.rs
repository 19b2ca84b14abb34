//! Static assets, compiled into the binary and served under fingerprinted names
//! (`/static/leerpad.3f9c0a1b2c4d.css`) with `Cache-Control: immutable`, so a browser keeps
//! them for a year and a new release is fetched at once because its names differ. Pages get the
//! names from [`href`]. The stylesheet is one file: the vendored NL Design System components
//! (`static/vendor/utrecht`), Leerpad's theme of design tokens and Leerpad's own layout.

use crate::error::Problem;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// One asset: the plain name templates ask for, the served name and the bytes.
struct Asset {
    name: &'static str,
    fingerprinted: String,
    mime: &'static str,
    bytes: Bytes,
}

/// The stylesheet's parts, in cascade order.
const STYLESHEET: [&[u8]; 3] = [
    include_bytes!("../static/vendor/utrecht/utrecht-components.css"),
    include_bytes!("../static/leerpad-theme.css"),
    include_bytes!("../static/leerpad.css"),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset(
            "leerpad.css",
            "text/css; charset=utf-8",
            STYLESHEET.join(&b"\n"[..]),
        ),
        asset(
            "autocomplete.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/autocomplete.js").to_vec(),
        ),
        asset(
            "chat.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/chat.js").to_vec(),
        ),
        asset(
            "favicon.svg",
            "image/svg+xml",
            include_bytes!("../static/favicon.svg").to_vec(),
        ),
    ]
});

fn asset(name: &'static str, mime: &'static str, bytes: Vec<u8>) -> Asset {
    let digest = Sha256::digest(&bytes);
    let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let fingerprinted = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    };
    Asset {
        name,
        fingerprinted,
        mime,
        bytes: Bytes::from(bytes),
    }
}

/// The URL of an asset by its plain name (`leerpad.css` → `/static/leerpad.<hash>.css`); an
/// unknown name is a programming error in a template and is answered with the plain path.
pub fn href(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{}", a.fingerprinted),
        None => {
            debug_assert!(false, "unknown asset {name}");
            format!("/static/{name}")
        }
    }
}

/// `GET /static/{file}`: a fingerprinted name is cached for a year as immutable; the plain name
/// still answers (bookmarks, old pages) but is cached for an hour only.
pub async fn serve(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let found = ASSETS.iter().find_map(|a| {
        if a.fingerprinted == file {
            Some((a, "public, max-age=31536000, immutable"))
        } else if a.name == file {
            Some((a, "public, max-age=3600"))
        } else {
            None
        }
    });
    match found {
        Some((a, cache)) => (
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, cache),
            ],
            a.bytes.clone(),
        )
            .into_response(),
        None => Problem::from_status(StatusCode::NOT_FOUND).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hash_of_the_content() {
        let css = href("leerpad.css");
        assert!(
            css.starts_with("/static/leerpad.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(css.len(), "/static/leerpad..css".len() + 12, "{css}");
        let again = asset("leerpad.css", "text/css", STYLESHEET.join(&b"\n"[..]));
        assert_eq!(format!("/static/{}", again.fingerprinted), css);
        let other = asset("leerpad.css", "text/css", b"body{}".to_vec());
        assert_ne!(other.fingerprinted, again.fingerprinted);
    }

    #[test]
    fn the_stylesheet_holds_the_design_system_and_the_theme() {
        let css = String::from_utf8(STYLESHEET.join(&b"\n"[..])).expect("utf-8");
        assert!(css.contains("@utrecht/component-library-css@"));
        assert!(css.contains(".utrecht-page-header"));
        assert!(css.contains(".leerpad-theme"));
    }
}

//! Server-rendered pages (askama templates, Dutch URLs). Every page works without JavaScript;
//! forms post back and carry a CSRF token.

use crate::error::Problem;
use crate::i18n::Lang;
use crate::identity::Identity;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use leerpad_domain::role::Role;
use leerpad_domain::shared::Date;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .merge(crate::accounts::pages::routes())
        .merge(crate::advice::pages::routes())
        .merge(crate::advice::appointment_pages::routes())
        .merge(crate::advice::advisor_pages::routes())
        .merge(crate::mail::routes())
        .merge(crate::advice::dashboard::routes())
        .merge(crate::advice::admin_pages::routes())
        .merge(crate::chat::routes())
        .merge(crate::ledger::routes())
        .merge(crate::enrolment::routes())
        .merge(crate::advice::plan_pages::routes())
        .merge(crate::accounts::account_page::routes())
        .merge(crate::accounts::admin_pages::routes())
        .merge(crate::catalogue::pages::routes())
        .merge(crate::catalogue::portal::routes())
        .merge(crate::regions::pages::routes())
        .merge(crate::employers::pages::routes())
        .merge(crate::catalogue::offer_page::routes())
        .merge(crate::financing::pages::routes())
        .merge(crate::financing::check_pages::routes())
        .merge(crate::financing::admin_pages::routes())
        .merge(crate::matching::pages::routes())
        .merge(crate::taxonomy::pages::routes())
        .merge(crate::calls::pages::routes())
        .merge(crate::quality::routes())
}

/// The signed-in account as the page header shows it.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub is_admin: bool,
    pub is_programme_manager: bool,
    pub is_advisor: bool,
    pub is_provider: bool,
    pub is_employer: bool,
}

/// What every page needs: language, the signed-in account, the CSRF token and the current path.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub path: String,
    /// The query string without `lang`, so the language switch keeps a search as it is.
    pub query: String,
}

impl PageCtx {
    /// A context for work outside a request (parsing stored answers).
    pub fn anonymous() -> PageCtx {
        PageCtx {
            lang: Lang::Nl,
            user: None,
            csrf: String::new(),
            path: "/".to_owned(),
            query: String::new(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        self.lang.t_args(key, args)
    }

    /// The current page in the other language.
    pub fn switch_href(&self) -> String {
        let lang = self.lang.other().code();
        if self.query.is_empty() {
            format!("{}?lang={lang}", self.path)
        } else {
            format!("{}?{}&lang={lang}", self.path, self.query)
        }
    }

    /// The page's `<meta name="description">` in its language, chosen by the section of the
    /// site; a page with its own summary (an offer, a search) overrides the template block.
    pub fn description(&self) -> String {
        let section = self.path.trim_start_matches('/');
        let section = section.split('/').next().unwrap_or_default();
        let key = match section {
            "" => "meta-home",
            "zoeken" | "opleidingen" => "meta-search",
            "vaardigheden" => "meta-skills",
            "kansen" => "meta-chances",
            "regelingen" | "financiering" => "meta-financing",
            "esco" => "meta-esco",
            "inloggen" => "meta-login",
            "registreren" | "welkom" => "meta-register",
            "account" => "meta-account",
            _ => "meta-default",
        };
        self.t(key)
    }

    /// The fingerprinted URL of a static asset (`leerpad.css` → `/static/leerpad.<hash>.css`).
    pub fn asset(&self, name: &str) -> String {
        crate::assets::href(name)
    }

    pub fn role_name(&self, role: &Role) -> String {
        self.t(&format!("role-{}", role.as_str().replace('_', "-")))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let identity = parts.extensions.get::<Identity>();
        let user = identity
            .and_then(|i| i.principal.as_ref())
            .map(|p| NavUser {
                is_admin: p.roles.contains(Role::Admin),
                is_programme_manager: p.roles.contains(Role::ProgrammeManager),
                is_advisor: p.roles.contains(Role::Advisor),
                is_provider: p.roles.contains(Role::Provider),
                is_employer: p.roles.contains(Role::Employer),
            });
        Ok(PageCtx {
            lang,
            user,
            csrf: identity.map(|i| i.csrf_token.clone()).unwrap_or_default(),
            path: parts.uri.path().to_owned(),
            query: parts
                .uri
                .query()
                .map(|q| {
                    q.split('&')
                        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
                        .collect::<Vec<_>>()
                        .join("&")
                })
                .unwrap_or_default(),
        })
    }
}

/// Messages for form fields, keyed by field name, shown next to the field and in a summary.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// A use case's field errors in the page's language, each on the form field `field_of`
    /// names for the domain's field (forms name some fields differently).
    pub fn of(
        lang: Lang,
        list: &[leerpad_domain::shared::FieldError],
        field_of: impl Fn(&str) -> String,
    ) -> FieldErrors {
        let mut errors = FieldErrors::default();
        for (e, text) in list.iter().zip(field_problems(lang, list)) {
            errors.add(&field_of(&e.field), text);
        }
        errors
    }

    pub fn add(&mut self, field: &str, message: String) {
        self.0.entry(field.to_owned()).or_insert(message);
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
}

/// Render a template, or answer 500 if it cannot be rendered.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// "2026-11-22 10:48 UTC".
pub fn format_time(unix: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Field errors as sentences in `lang`: each error's code is its translation key (with the
/// error's arguments); an error without a translation keeps its English message.
pub fn field_problems(lang: Lang, list: &[leerpad_domain::shared::FieldError]) -> Vec<String> {
    list.iter()
        .map(|f| {
            f.code
                .and_then(|c| lang.try_t_args(c, &f.args))
                .unwrap_or_else(|| f.message.clone())
        })
        .collect()
}

/// A refusal's words in the page's language: its code is the translation key; an ISO `date`
/// argument is written as people read dates, a `status` argument by its translation under
/// `{prefix}-status-{status}` when there is one. `None` when the code has no translation.
pub fn refusal_text(
    page: &PageCtx,
    code: &str,
    args: &[(&'static str, String)],
    status_prefix: &str,
) -> Option<String> {
    let args: Vec<(&'static str, String)> = args
        .iter()
        .map(|(k, v)| {
            let v = match *k {
                "date" => leerpad_domain::shared::iso_date_option::parse(v)
                    .map(|d| long_date(d, page))
                    .unwrap_or_else(|| v.clone()),
                "status" => page
                    .lang
                    .try_t_args(&format!("{status_prefix}-status-{v}"), &[])
                    .unwrap_or_else(|| v.clone()),
                _ => v.clone(),
            };
            (*k, v)
        })
        .collect();
    page.lang.try_t_args(code, &args)
}

/// "3 februari 2027" / "3 February 2027".
pub fn long_date(d: Date, page: &PageCtx) -> String {
    long_date_in(d, page.lang)
}

/// A moment as people in the Netherlands read it: "3 februari 2027 om 09:00" (Amsterdam time,
/// summer time included).
pub fn local_time(unix: i64, page: &PageCtx) -> String {
    local_time_in(unix, page.lang)
}

/// [`local_time`] where only the language is at hand.
pub fn local_time_in(unix: i64, lang: crate::i18n::Lang) -> String {
    let Ok(at) = jiff::Timestamp::from_second(unix) else {
        return format_time(unix);
    };
    let Ok(tz) = jiff::tz::TimeZone::get("Europe/Amsterdam") else {
        return format_time(unix);
    };
    let local = at.to_zoned(tz);
    let day = local.date();
    let month = lang.t(&format!("month-{}", day.month()));
    lang.t_args(
        "date-at-time",
        &[
            ("date", format!("{} {month} {}", day.day(), day.year())),
            ("time", format!("{:02}:{:02}", local.hour(), local.minute())),
        ],
    )
}

/// "3 februari 2027" / "3 February 2027", where only the language is at hand.
pub fn long_date_in(d: Date, lang: crate::i18n::Lang) -> String {
    let month = lang.t(&format!("month-{}", u8::from(d.month())));
    format!("{} {month} {}", d.day(), d.year())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
}

async fn home(page: PageCtx) -> Response {
    render(StatusCode::OK, &HomePage { page })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageCtx,
    status: u16,
    title: String,
    detail: String,
}

/// An error as an HTML page in the visitor's language.
pub fn error_page(lang: Lang, problem: &Problem) -> Response {
    let key = match problem.status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::FORBIDDEN if problem.slug == "csrf" => "error-csrf",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error-too-many",
        StatusCode::PAYLOAD_TOO_LARGE => "error-too-large",
        StatusCode::METHOD_NOT_ALLOWED => "error-method",
        s if s.is_server_error() => "error-internal",
        _ => "error-bad-request",
    };
    let page = PageCtx {
        lang,
        user: None,
        csrf: String::new(),
        path: "/".to_owned(),
        query: String::new(),
    };
    let title = lang.t(&format!("{key}-title"));
    let detail = lang.t(&format!("{key}-detail"));
    render(
        problem.status,
        &ErrorPage {
            page,
            status: problem.status.as_u16(),
            title,
            detail,
        },
    )
}

#[cfg(test)]
mod tests {
    use leerpad_domain::shared::Money;

    /// Pages show amounts with `Money::format_euros`.
    #[test]
    fn money_as_people_read_it() {
        let euros = |cents: i64, lang: &str| Money::from_cents(cents).format_euros(lang);
        assert_eq!(euros(123_450, "nl"), "€ 1.234,50");
        assert_eq!(euros(123_400, "nl"), "€ 1.234,-");
        assert_eq!(euros(123_450, "en"), "€1,234.50");
        assert_eq!(euros(5, "en"), "€0.05");
        assert_eq!(euros(100_000_000, "nl"), "€ 1.000.000,-");
        assert_eq!(euros(-250, "nl"), "-€ 2,50");
    }
}

//! The provider portal on pages (no JavaScript needed): the organisation and its verification
//! (`/aanbieder`), its offers in forms (`/aanbieder/aanbod`, `…/nieuw`, `…/{id}`), their history
//! (`…/{id}/geschiedenis`), a file upload with a dry run (`/aanbieder/aanbod/uploaden`), and the
//! programme manager's verification of new organisations (`/beheer/aanbieders`).

use super::offer_form::{OfferForm, form_field};
use crate::authz::{Authz, perm};
use crate::csrf::{CsrfForm, CsrfMultipart};
use crate::error::Problem;
use crate::pages::{FieldErrors, PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::catalogue::{HistoryKind, ImportRow, UploadReport};
use leerpad_app::error::AppError;
use leerpad_domain::catalogue::{
    Accreditation, CostKind, Credential, Level, Modality, OfferInput, OfferKind, OfferStatus,
    Provider, ProviderInput,
};
use leerpad_domain::policy::Principal;
use leerpad_domain::shared::{OfferId, ProviderId};

/// Largest file the upload takes.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// An option of a select: value, label.
pub type Choice = (String, String);

fn choices<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    page: &PageCtx,
    prefix: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| (id(*v).to_owned(), page.t(&format!("{prefix}-{}", id(*v)))))
        .collect()
}

/// The organisation as the portal shows it.
pub struct OrganisationView {
    pub name: String,
    pub kvk: String,
    pub verified: bool,
}

/// The organisation form's values.
#[derive(Default)]
pub struct OrganisationForm {
    pub kvk: String,
    pub name: String,
    pub trading_names: String,
    pub accreditations: Vec<String>,
    pub email: String,
    pub phone: String,
    pub website: String,
}

impl OrganisationForm {
    fn of(p: &Provider) -> OrganisationForm {
        OrganisationForm {
            kvk: p.kvk.clone(),
            name: p.name.clone(),
            trading_names: p.trading_names.join("\n"),
            accreditations: p.accreditations.iter().map(|a| a.to_string()).collect(),
            email: p.email.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
        }
    }

    fn posted(pairs: &[(String, String)]) -> OrganisationForm {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        OrganisationForm {
            kvk: get("kvk"),
            name: get("name"),
            trading_names: get("trading_names"),
            accreditations: pairs
                .iter()
                .filter(|(n, _)| n == "accreditations")
                .map(|(_, v)| v.clone())
                .collect(),
            email: get("email"),
            phone: get("phone"),
            website: get("website"),
        }
    }

    fn input(&self) -> ProviderInput {
        let some = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_owned());
        ProviderInput {
            kvk: self.kvk.clone(),
            name: self.name.clone(),
            accreditations: self.accreditations.clone(),
            email: some(&self.email),
            phone: some(&self.phone),
            website: some(&self.website),
            trading_names: self
                .trading_names
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    pub fn has(&self, accreditation: &str) -> bool {
        self.accreditations.iter().any(|a| a == accreditation)
    }
}

#[derive(Template)]
#[template(path = "catalogue/portal.html")]
struct PortalPage {
    page: PageCtx,
    organisation: Option<OrganisationView>,
    offers: usize,
    form: OrganisationForm,
    accreditations: Vec<String>,
    errors: FieldErrors,
    /// A refusal that belongs to no field (a KvK number someone else acts for).
    refusal: Option<String>,
}

async fn own_provider(
    state: &AppState,
    principal: &Principal,
) -> Result<Option<Provider>, Problem> {
    match state.catalogue().own_provider(principal).await {
        Ok(p) => Ok(Some(p)),
        Err(AppError::NoProvider) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn portal(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    form: Option<OrganisationForm>,
    errors: FieldErrors,
    refusal: Option<String>,
) -> Result<Response, Problem> {
    let provider = own_provider(state, principal).await?;
    let offers = match &provider {
        Some(_) => state.catalogue().own_offers(principal).await?.1.len(),
        None => 0,
    };
    let status = if errors.is_empty() && refusal.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &PortalPage {
            form: form.unwrap_or_else(|| {
                provider
                    .as_ref()
                    .map(OrganisationForm::of)
                    .unwrap_or_default()
            }),
            organisation: provider.map(|p| OrganisationView {
                name: p.name,
                kvk: p.kvk,
                verified: p.verified,
            }),
            offers,
            accreditations: Accreditation::ALL.iter().map(|a| a.to_string()).collect(),
            errors,
            refusal,
            page,
        },
    ))
}

/// GET /aanbieder: the organisation, whether it is verified, and the way to its offers.
pub async fn home(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    portal(
        &state,
        page,
        &auth.principal,
        None,
        FieldErrors::default(),
        None,
    )
    .await
}

fn organisation_field(field: &str) -> String {
    let f = field.strip_prefix("provider.").unwrap_or(field);
    f.split('[').next().unwrap_or(f).to_owned()
}

/// POST /aanbieder/organisatie: register or update the organisation.
pub async fn save_organisation(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let form = OrganisationForm::posted(&pairs);
    match state
        .catalogue()
        .register_provider(&auth.principal, &form.input())
        .await
    {
        Ok(_) => Ok(Redirect::to("/aanbieder").into_response()),
        Err(AppError::InvalidFields(list)) => {
            let errors = FieldErrors::of(page.lang, &list, organisation_field);
            portal(&state, page, &auth.principal, Some(form), errors, None).await
        }
        Err(AppError::Conflict(_)) => {
            let refusal = page.t_args("portal-kvk-taken", &[("kvk", form.kvk.clone())]);
            portal(
                &state,
                page,
                &auth.principal,
                Some(form),
                FieldErrors::default(),
                Some(refusal),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// One offer in the provider's list.
pub struct OwnOfferRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "catalogue/own_offers.html")]
struct OwnOffersPage {
    page: PageCtx,
    verified: bool,
    rows: Vec<OwnOfferRow>,
}

/// GET /aanbieder/aanbod: the provider's offers, drafts and archived ones too.
pub async fn own_offers(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    let Some(_) = own_provider(&state, &auth.principal).await? else {
        return Ok(Redirect::to("/aanbieder").into_response());
    };
    let (provider, offers) = state.catalogue().own_offers(&auth.principal).await?;
    let rows = offers
        .iter()
        .map(|o| OwnOfferRow {
            id: o.id.get(),
            code: o.provider_offer_id.clone(),
            title: o.content.title.get(page.lang.code()).to_owned(),
            kind: page.t(&format!("kind-{}", o.content.kind)),
            status: page.t(&format!("portal-status-{}", o.content.status)),
            updated: local_time(o.updated_at, &page),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &OwnOffersPage {
            verified: provider.verified,
            rows,
            page,
        },
    ))
}

#[derive(Template)]
#[template(path = "catalogue/offer_form.html")]
struct OfferFormPage {
    page: PageCtx,
    /// The offer being edited, or none for a new one.
    id: Option<i64>,
    archived: bool,
    /// Just saved: say so.
    saved: bool,
    form: OfferForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    levels: Vec<Choice>,
    modalities: Vec<Choice>,
    credentials: Vec<Choice>,
    cost_kinds: Vec<Choice>,
}

impl OfferFormPage {
    /// The value of row `i`'s field `f` (`run_start`, `cost_amount`, …).
    fn val(&self, f: &str, i: impl std::fmt::Display) -> String {
        self.form.v(&format!("{f}_{i}")).to_owned()
    }

    /// The problem with row `i`'s field `f`.
    fn err(&self, f: &str, i: impl std::fmt::Display) -> Option<String> {
        self.errors.get(&format!("{f}_{i}")).cloned()
    }

    /// The skills the provider named, kept as they are.
    fn skills(&self) -> Vec<(usize, String)> {
        (0..100)
            .map_while(|i| {
                let s = self.form.v(&format!("skill_{i}"));
                (!s.is_empty()).then(|| (i, s.to_owned()))
            })
            .collect()
    }
}

/// Whether the form was just saved (`?opgeslagen=1`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    opgeslagen: Option<String>,
}

fn form_page(
    page: PageCtx,
    id: Option<i64>,
    archived: bool,
    form: OfferForm,
    errors: FieldErrors,
) -> Response {
    form_page_saved(page, id, archived, false, form, errors)
}

fn form_page_saved(
    page: PageCtx,
    id: Option<i64>,
    archived: bool,
    saved: bool,
    form: OfferForm,
    errors: FieldErrors,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &OfferFormPage {
            kinds: choices(OfferKind::ALL, OfferKind::as_str, &page, "kind"),
            levels: choices(Level::ALL, Level::as_str, &page, "level"),
            modalities: choices(Modality::ALL, Modality::as_str, &page, "modality"),
            credentials: choices(Credential::ALL, Credential::as_str, &page, "credential"),
            cost_kinds: choices(CostKind::ALL, CostKind::as_str, &page, "cost"),
            id,
            archived,
            saved,
            form,
            errors,
            page,
        },
    )
}

/// GET /aanbieder/aanbod/nieuw
pub async fn new_offer(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    if own_provider(&state, &auth.principal).await?.is_none() {
        return Ok(Redirect::to("/aanbieder").into_response());
    }
    Ok(form_page(
        page,
        None,
        false,
        OfferForm::empty(),
        FieldErrors::default(),
    ))
}

/// GET /aanbieder/aanbod/{id}: the offer in the form, places by name.
pub async fn edit_offer(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, Problem> {
    let offer = state
        .catalogue()
        .own_offer(&auth.principal, OfferId::new(id))
        .await?;
    let mut input = OfferInput::of_content(&offer.provider_offer_id, &offer.content);
    for run in &mut input.runs {
        if let Some(m) = run
            .municipality
            .as_deref()
            .and_then(|code| state.catalogue().regions().municipality(code))
        {
            run.municipality = Some(m.name.clone());
        }
    }
    Ok(form_page_saved(
        page,
        Some(id),
        offer.content.status == OfferStatus::Archived,
        q.opgeslagen.is_some(),
        OfferForm::of_input(&input),
        FieldErrors::default(),
    ))
}

async fn save(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    editing: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, Problem> {
    let form = OfferForm::posted(pairs);
    let input = match form.to_input(&page.t("portal-error-amount")) {
        Ok(input) => input,
        Err(errors) => return Ok(form_page(page, editing, false, form, errors)),
    };
    match state
        .catalogue()
        .save_own_offer(principal, input, editing.map(OfferId::new))
        .await
    {
        Ok(id) => Ok(
            Redirect::to(&format!("/aanbieder/aanbod/{}?opgeslagen=1", id.get())).into_response(),
        ),
        Err(AppError::InvalidFields(list)) => {
            let errors = FieldErrors::of(page.lang, &list, form_field);
            Ok(form_page(page, editing, false, form, errors))
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /aanbieder/aanbod/nieuw
pub async fn create_offer(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    save(&state, page, &auth.principal, None, pairs).await
}

/// POST /aanbieder/aanbod/{id}
pub async fn update_offer(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    save(&state, page, &auth.principal, Some(id), pairs).await
}

/// POST /aanbieder/aanbod/{id}/archiveren
pub async fn archive_offer(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    state
        .catalogue()
        .archive_own_offer(&auth.principal, OfferId::new(id))
        .await?;
    Ok(Redirect::to("/aanbieder/aanbod").into_response())
}

/// One change in an offer's history.
pub struct HistoryRow {
    pub at: String,
    pub what: String,
    pub fields: String,
}

#[derive(Template)]
#[template(path = "catalogue/offer_history.html")]
struct HistoryPage {
    page: PageCtx,
    id: i64,
    title: String,
    rows: Vec<HistoryRow>,
}

/// GET /aanbieder/aanbod/{id}/geschiedenis
pub async fn history(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    let (offer, entries) = state
        .catalogue()
        .offer_history(&auth.principal, OfferId::new(id))
        .await?;
    let rows = entries
        .iter()
        .map(|e| HistoryRow {
            at: local_time(e.at, &page),
            what: page.t(match e.kind {
                HistoryKind::Created => "portal-history-created",
                HistoryKind::Changed => "portal-history-changed",
                HistoryKind::Archived => "portal-history-archived",
                HistoryKind::FirstKept => "portal-history-first",
            }),
            fields: e
                .changed
                .iter()
                .map(|f| {
                    page.lang
                        .try_t_args(&format!("portal-field-{f}"), &[])
                        .unwrap_or_else(|| f.replace('_', " "))
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &HistoryPage {
            id,
            title: offer.content.title.get(page.lang.code()).to_owned(),
            rows,
            page,
        },
    ))
}

/// One problem of an uploaded file.
pub struct ProblemRow {
    pub line: u64,
    pub key: String,
    pub field: String,
    pub message: String,
    /// The message has no translation and is shown in English (marked so).
    pub english: bool,
}

#[derive(Template)]
#[template(path = "catalogue/upload.html")]
struct UploadPage {
    page: PageCtx,
    /// What the last upload did, in a sentence.
    outcome: Option<String>,
    problems: Vec<ProblemRow>,
    errors: FieldErrors,
}

/// GET /aanbieder/aanbod/uploaden
pub async fn upload_form(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    if own_provider(&state, &auth.principal).await?.is_none() {
        return Ok(Redirect::to("/aanbieder").into_response());
    }
    Ok(render(
        StatusCode::OK,
        &UploadPage {
            page,
            outcome: None,
            problems: Vec::new(),
            errors: FieldErrors::default(),
        },
    ))
}

/// The sentence that says what an upload did.
fn upload_outcome(page: &PageCtx, r: &UploadReport, dry_run: bool) -> String {
    let rows = ("rows", r.rows.to_string());
    if !r.problems.is_empty() {
        return page.t_args(
            "portal-upload-problems",
            &[rows, ("problems", r.problems.len().to_string())],
        );
    }
    match (&r.written, dry_run) {
        (Some(s), _) => page.t_args(
            "portal-upload-written",
            &[
                rows,
                ("created", s.created.to_string()),
                ("updated", s.updated.to_string()),
                ("unchanged", s.unchanged.to_string()),
            ],
        ),
        (None, true) => page.t_args(
            "portal-upload-checked",
            &[rows, ("valid", r.valid.to_string())],
        ),
        (None, false) => page.t_args("portal-upload-empty", &[rows]),
    }
}

/// POST /aanbieder/aanbod/uploaden: a JSON Lines, CSV or EDU-DEX file, checked line by line;
/// written all or nothing unless only checked (`controleren`).
pub async fn upload(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    form: CsrfMultipart,
) -> Result<Response, Problem> {
    let Some(provider) = own_provider(&state, &auth.principal).await? else {
        return Ok(Redirect::to("/aanbieder").into_response());
    };
    let dry_run = !form.text("controleren").is_empty();
    let mut errors = FieldErrors::default();
    let file = form.file("bestand");
    let format = file.and_then(|f| {
        f.file_name
            .as_deref()
            .and_then(|n| leerpad_formats::offers::Format::of_path(std::path::Path::new(n)))
    });
    let (Some(file), Some(format)) = (file, format) else {
        errors.add("bestand", page.t("portal-upload-choose"));
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &UploadPage {
                page,
                outcome: None,
                problems: Vec::new(),
                errors,
            },
        ));
    };
    let own = ProviderInput {
        kvk: provider.kvk.clone(),
        name: provider.name.clone(),
        ..ProviderInput::default()
    };
    let rows = match leerpad_formats::offers::read_bytes(&file.bytes, format, Some(&own)) {
        Ok(rows) => rows,
        Err(e) => {
            errors.add(
                "bestand",
                page.t_args("portal-upload-unreadable", &[("reason", e.to_string())]),
            );
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &UploadPage {
                    page,
                    outcome: None,
                    problems: Vec::new(),
                    errors,
                },
            ));
        }
    };
    let rows = rows
        .into_iter()
        .map(|r| ImportRow {
            line: r.line,
            key: r.key,
            offer: r.offer,
        })
        .collect();
    let report = state
        .catalogue()
        .upload_own_offers(&auth.principal, rows, dry_run)
        .await?;
    let outcome = upload_outcome(&page, &report, dry_run);
    let problems = report
        .problems
        .iter()
        .map(|p| ProblemRow {
            line: p.line,
            key: p.key.clone().unwrap_or_default(),
            field: p.field.clone(),
            english: p
                .code
                .and_then(|c| page.lang.try_t_args(c, &p.args))
                .is_none(),
            message: p
                .code
                .and_then(|c| page.lang.try_t_args(c, &p.args))
                .unwrap_or_else(|| p.message.clone()),
        })
        .collect();
    let status = if report.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &UploadPage {
            page,
            outcome: Some(outcome),
            problems,
            errors,
        },
    ))
}

/// An organisation waiting for verification.
pub struct PendingRow {
    pub id: i64,
    pub name: String,
    pub kvk: String,
    pub trading_names: String,
    pub accreditations: String,
    pub contact: String,
}

#[derive(Template)]
#[template(path = "catalogue/providers_admin.html")]
struct ProvidersAdminPage {
    page: PageCtx,
    rows: Vec<PendingRow>,
}

/// GET /beheer/aanbieders: organisations waiting for verification.
pub async fn pending(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Response, Problem> {
    let rows = state
        .catalogue()
        .unverified_providers(&auth.principal)
        .await?
        .into_iter()
        .map(|p| PendingRow {
            id: p.id.get(),
            name: p.name,
            kvk: p.kvk,
            trading_names: p.trading_names.join(", "),
            accreditations: p
                .accreditations
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            contact: [p.email, p.phone, p.website]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
        })
        .collect();
    Ok(render(StatusCode::OK, &ProvidersAdminPage { page, rows }))
}

/// POST /beheer/aanbieders/{id}/verifieren
pub async fn verify(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    state
        .catalogue()
        .verify_provider(&auth.principal, ProviderId::new(id))
        .await?;
    Ok(Redirect::to("/beheer/aanbieders").into_response())
}

#[derive(Template)]
#[template(path = "catalogue/become_provider.html")]
struct BecomeProviderPage {
    page: PageCtx,
}

/// GET /aanbieder-worden: what publishing training on Leerpad takes.
pub async fn become_provider_page(page: PageCtx, auth: Authz<perm::ManageOwnAccount>) -> Response {
    if auth
        .principal
        .authorize(leerpad_domain::policy::Action::ManageOwnOffers)
        .is_ok()
    {
        return Redirect::to("/aanbieder").into_response();
    }
    render(StatusCode::OK, &BecomeProviderPage { page })
}

/// POST /aanbieder-worden: the account gets the provider role; next, the organisation.
pub async fn become_provider(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    crate::extract::ClientIp(ip): crate::extract::ClientIp,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    state
        .accounts()
        .become_provider(&auth.principal, Some(&ip))
        .await?;
    Ok(Redirect::to("/aanbieder").into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/aanbieder", get(home))
        .route(
            "/aanbieder-worden",
            get(become_provider_page).post(become_provider),
        )
        .route("/aanbieder/organisatie", post(save_organisation))
        .route("/aanbieder/aanbod", get(own_offers))
        .route("/aanbieder/aanbod/nieuw", get(new_offer).post(create_offer))
        .route(
            "/aanbieder/aanbod/uploaden",
            get(upload_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/aanbieder/aanbod/{id}", get(edit_offer).post(update_offer))
        .route("/aanbieder/aanbod/{id}/archiveren", post(archive_offer))
        .route("/aanbieder/aanbod/{id}/geschiedenis", get(history))
        .route("/beheer/aanbieders", get(pending))
        .route("/beheer/aanbieders/{id}/verifieren", post(verify))
}

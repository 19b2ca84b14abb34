//! The chat pages: they work without JavaScript (forms and a refresh link); `chat.js` makes
//! the conversation page live over the WebSocket.

use super::{MessageView, Names, message_view};
use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::extract::ClientIp;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::chat::{ConversationView, Question};
use leerpad_app::error::AppError;
use leerpad_domain::advice::ports::ProgrammeStatus;
use leerpad_domain::chat::{Conversation, ConversationStatus};
use leerpad_domain::policy::Principal;
use serde::Deserialize;

/// A conversation in a list.
pub struct ConversationRow {
    pub id: i64,
    pub subject: String,
    pub status: String,
    pub at: String,
}

fn row(page: &PageCtx, c: &Conversation) -> ConversationRow {
    ConversationRow {
        id: c.id,
        subject: c.subject.clone(),
        status: page.t(&format!("chat-status-{}", c.status)),
        at: local_time(c.created_at, page),
    }
}

/// What went wrong with a message, in the page's language.
fn errors(page: &PageCtx, e: AppError) -> Result<Vec<String>, Problem> {
    match e {
        AppError::InvalidFields(list) => Ok(super::problems_in(page.lang, list)),
        other => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "chat/list.html")]
struct ListPage {
    page: PageCtx,
    open_now: bool,
    conversations: Vec<ConversationRow>,
    errors: Vec<String>,
    subject: String,
    first: String,
    key: String,
    /// Published programmes to ask about: slug, name, and whether it is chosen.
    programmes: Vec<(String, String, bool)>,
}

/// What the ask form holds (kept when it comes back with an error).
#[derive(Debug, Default)]
struct Asked {
    subject: String,
    first: String,
    programme: String,
}

async fn list_page(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    errors: Vec<String>,
    asked: Asked,
) -> Result<Response, Problem> {
    let chat = state.chat();
    let conversations = chat
        .mine(principal)
        .await?
        .iter()
        .map(|c| row(&page, c))
        .collect();
    let programmes = state
        .advice()
        .programmes(Some(principal))
        .await?
        .into_iter()
        .filter(|p| p.status == ProgrammeStatus::Published)
        .map(|p| {
            let chosen = p.slug == asked.programme;
            (
                p.slug,
                p.definition.name.get(page.lang.code()).to_owned(),
                chosen,
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &ListPage {
            open_now: chat.office_open(),
            conversations,
            errors,
            subject: asked.subject,
            first: asked.first,
            key: leerpad_app::secret::random_token().map_err(Problem::from)?,
            programmes,
            page,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// A programme to ask about, chosen beforehand (from the programme's page).
    #[serde(default)]
    programma: String,
}

/// GET /gesprekken
pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Query(query): Query<ListQuery>,
) -> Result<Response, Problem> {
    let asked = Asked {
        programme: query.programma,
        ..Asked::default()
    };
    list_page(&state, page, &auth.principal, Vec::new(), asked).await
}

#[derive(Debug, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// The programme the question is about (a slug; empty: a general question).
    #[serde(default)]
    programme: String,
    #[serde(default)]
    key: String,
}

/// POST /gesprekken
pub async fn ask(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<AskForm>,
) -> Result<Response, Problem> {
    state.chat_limits().check(auth.principal.user_id)?;
    let key = Some(form.key.as_str()).filter(|k| !k.is_empty());
    let question = Question {
        subject: &form.subject,
        first: &form.body,
        programme: Some(form.programme.as_str()).filter(|p| !p.is_empty()),
    };
    match state.chat().ask(&auth.principal, question, key).await {
        Ok(c) => Ok(Redirect::to(&format!("/gesprekken/{}", c.id)).into_response()),
        Err(e) => {
            let errors = errors(&page, e)?;
            let asked = Asked {
                subject: form.subject,
                first: form.body,
                programme: form.programme,
            };
            list_page(&state, page, &auth.principal, errors, asked).await
        }
    }
}

#[derive(Template)]
#[template(path = "chat/conversation.html")]
struct ConversationPage {
    page: PageCtx,
    id: i64,
    subject: String,
    status: ConversationStatus,
    learner: bool,
    /// The status line ("you are number 2", "you are talking with …").
    standing: String,
    messages: Vec<MessageView>,
    last_id: i64,
    errors: Vec<String>,
    draft: String,
    key: String,
    canned: Vec<String>,
    rating: Option<u8>,
    ice_servers: String,
    video_link: Option<String>,
    other_name: String,
}

pub(crate) fn standing(page: &PageCtx, view: &ConversationView, learner: bool) -> String {
    let c = &view.conversation;
    match c.status {
        ConversationStatus::Closed => page.t("chat-ended"),
        ConversationStatus::Waiting if c.after_hours => page.t("chat-waiting-after-hours"),
        ConversationStatus::Waiting => page.t_args(
            "chat-waiting",
            &[("position", view.queue_position.unwrap_or(1).to_string())],
        ),
        ConversationStatus::Open if learner => page.t_args(
            "chat-with",
            &[("name", view.advisor_name.clone().unwrap_or_default())],
        ),
        ConversationStatus::Open => {
            page.t_args("chat-with-learner", &[("name", view.learner_name.clone())])
        }
    }
}

async fn conversation_page(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    id: i64,
    ip: &str,
    errors: Vec<String>,
    draft: String,
) -> Result<Response, Problem> {
    let view = state.chat().open(principal, id, Some(ip)).await?;
    let c = &view.conversation;
    let learner = c.learner_id == principal.user_id;
    let names = Names {
        me: principal.user_id,
        learner: (c.learner_id, &view.learner_name),
        advisor: c.advisor_id.zip(view.advisor_name.as_deref()),
    };
    let messages: Vec<MessageView> = view
        .messages
        .iter()
        .map(|m| message_view(&page, &names, m, view.other_read_up_to))
        .collect();
    let canned = if learner {
        Vec::new()
    } else {
        ["welcome", "more", "appointment", "financing", "bye"]
            .iter()
            .map(|k| page.t(&format!("chat-canned-{k}")))
            .collect()
    };
    let config = state.config();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    /// The page's own video call may use the camera and microphone; nothing else may.
    const VIDEO_POLICY: &str = "camera=(self), microphone=(self), geolocation=()";
    let other_name = if learner {
        view.advisor_name.clone().unwrap_or_default()
    } else {
        view.learner_name.clone()
    };
    let mut response = render(
        status,
        &ConversationPage {
            id: c.id,
            subject: c.subject.clone(),
            status: c.status,
            standing: standing(&page, &view, learner),
            last_id: messages.last().map_or(0, |m| m.id),
            messages,
            errors,
            draft,
            key: leerpad_app::secret::random_token().map_err(Problem::from)?,
            canned,
            rating: c.rating,
            learner,
            ice_servers: serde_json::to_string(&config.ice_servers).unwrap_or_default(),
            video_link: config
                .video_link
                .as_ref()
                .map(|t| t.replace("{id}", &c.id.to_string())),
            other_name,
            page,
        },
    );
    response.headers_mut().insert(
        axum::http::HeaderName::from_static("permissions-policy"),
        axum::http::HeaderValue::from_static(VIDEO_POLICY),
    );
    Ok(response)
}

/// GET /gesprekken/{id}
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    conversation_page(
        &state,
        page,
        &auth.principal,
        id,
        &ip,
        Vec::new(),
        String::new(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    key: String,
}

/// POST /gesprekken/{id}/berichten
pub async fn send(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<SendForm>,
) -> Result<Response, Problem> {
    state.chat_limits().check(auth.principal.user_id)?;
    let key = Some(form.key.as_str()).filter(|k| !k.is_empty());
    match state
        .chat()
        .send(&auth.principal, id, &form.body, key)
        .await
    {
        Ok(m) => Ok(Redirect::to(&format!("/gesprekken/{id}#m{}", m.id)).into_response()),
        Err(e) => {
            let errors = errors(&page, e)?;
            conversation_page(&state, page, &auth.principal, id, &ip, errors, form.body).await
        }
    }
}

/// POST /gesprekken/{id}/beeindigen
pub async fn close(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, Problem> {
    state.chat().close(&auth.principal, id).await?;
    Ok(Redirect::to(&format!("/gesprekken/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct RateForm {
    rating: u8,
}

/// POST /gesprekken/{id}/beoordeling
pub async fn rate(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Result<Response, Problem> {
    state.chat().rate(&auth.principal, id, form.rating).await?;
    Ok(Redirect::to(&format!("/gesprekken/{id}")).into_response())
}

/// GET /gesprekken/{id}/verslag.txt: the whole conversation as text, to keep.
pub async fn transcript(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    let view = state.chat().open(&auth.principal, id, Some(&ip)).await?;
    let c = &view.conversation;
    let names = Names {
        me: auth.principal.user_id,
        learner: (c.learner_id, &view.learner_name),
        advisor: c.advisor_id.zip(view.advisor_name.as_deref()),
    };
    let mut text = format!("{}\n{}\n\n", c.subject, local_time(c.created_at, &page));
    for m in &view.messages {
        let v = message_view(&page, &names, m, 0);
        text.push_str(&format!("[{}] {}:\n{}\n\n", v.at, v.who, v.body));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"gesprek-{id}.txt\""),
            ),
        ],
        text,
    )
        .into_response())
}

/// POST /afspraken/{id}/gesprek: the conversation about a booked appointment.
pub async fn about_appointment(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, Problem> {
    let c = state.chat().about_appointment(&auth.principal, id).await?;
    Ok(Redirect::to(&format!("/gesprekken/{}", c.id)).into_response())
}

#[derive(Template)]
#[template(path = "chat/inbox.html")]
struct InboxPage {
    page: PageCtx,
    on_duty_until: Option<String>,
    waiting: Vec<ConversationRow>,
    open: Vec<ConversationRow>,
    closed: Vec<ConversationRow>,
}

/// GET /adviseur/gesprekken: each visit of an advisor on duty extends their duty.
pub async fn inbox(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::AdviseLearners>,
) -> Result<Response, Problem> {
    let chat = state.chat();
    let mut inbox = chat.inbox(&auth.principal).await?;
    if inbox.on_duty_until.is_some() {
        chat.go_on_duty(&auth.principal).await?;
        inbox = chat.inbox(&auth.principal).await?;
    }
    let rows = |list: &[Conversation]| list.iter().map(|c| row(&page, c)).collect::<Vec<_>>();
    Ok(render(
        StatusCode::OK,
        &InboxPage {
            on_duty_until: inbox.on_duty_until.map(|t| local_time(t, &page)),
            waiting: rows(&inbox.waiting),
            open: rows(&inbox.open),
            closed: rows(&inbox.closed),
            page,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct DutyForm {
    on: String,
}

/// POST /adviseur/gesprekken/dienst
pub async fn duty(
    State(state): State<AppState>,
    auth: Authz<perm::AdviseLearners>,
    CsrfForm(form): CsrfForm<DutyForm>,
) -> Result<Response, Problem> {
    if form.on == "ja" {
        state.chat().go_on_duty(&auth.principal).await?;
    } else {
        state.chat().go_off_duty(&auth.principal).await?;
    }
    Ok(Redirect::to("/adviseur/gesprekken").into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/gesprekken", get(list).post(ask))
        .route("/gesprekken/{id}", get(show))
        .route("/gesprekken/{id}/berichten", post(send))
        .route("/gesprekken/{id}/beeindigen", post(close))
        .route("/gesprekken/{id}/beoordeling", post(rate))
        .route("/gesprekken/{id}/verslag.txt", get(transcript))
        .route("/afspraken/{id}/gesprek", post(about_appointment))
        .route("/adviseur/gesprekken", get(inbox))
        .route("/adviseur/gesprekken/dienst", post(duty))
}

//! Messages as people read them: `/berichten` (your own) and `/beheer/berichten` (the
//! development mailbox for administrators). The text comes from the translation files in the
//! recipient's language. `smtp` mails them when a mail server is configured.

mod smtp;
pub use smtp::{MailSetupError, MailTexts, Smtp};

use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::i18n::Lang;
use crate::pages::{PageCtx, format_time, local_time_in, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::OutboxMessage;

/// A message's subject and body in `lang`; links start with `base` (empty on the site, the
/// public address in a mail).
pub fn text(lang: Lang, m: &Message, base: &str) -> (String, String) {
    match m {
        Message::AppointmentReminder {
            starts_at,
            advisor,
            hours_before,
            programme,
        } => (
            lang.t_args(
                "mail-reminder-subject",
                &[("hours", hours_before.to_string())],
            ),
            lang.t_args(
                "mail-reminder-body",
                &[
                    ("when", local_time_in(*starts_at, lang)),
                    ("advisor", advisor.clone()),
                    ("link", format!("{base}/advies/{programme}")),
                ],
            ),
        ),
        Message::ChatAnswered {
            conversation,
            subject,
        } => (
            lang.t("mail-chat-subject"),
            lang.t_args(
                "mail-chat-body",
                &[
                    ("subject", subject.clone()),
                    ("link", format!("{base}/gesprekken/{conversation}")),
                ],
            ),
        ),
        Message::ConsentEnded { programme, advisor } => (
            lang.t("mail-consent-subject"),
            lang.t_args(
                "mail-consent-body",
                &[
                    ("advisor", advisor.clone()),
                    ("link", format!("{base}/advies/{programme}/plan")),
                ],
            ),
        ),
        Message::SurveyInvitation {
            enrolment,
            outcome,
            title,
        } => {
            let which = if *outcome { "uitkomst" } else { "einde" };
            (
                lang.t_args(
                    if *outcome {
                        "mail-survey-outcome-subject"
                    } else {
                        "mail-survey-subject"
                    },
                    &[("title", title.clone())],
                ),
                lang.t_args(
                    if *outcome {
                        "mail-survey-outcome-body"
                    } else {
                        "mail-survey-body"
                    },
                    &[
                        ("title", title.clone()),
                        (
                            "link",
                            format!("{base}/inschrijvingen/{enrolment}/enquete/{which}"),
                        ),
                    ],
                ),
            )
        }
        Message::OfferStanding {
            title,
            suspended,
            average_tenths,
            answers,
        } => {
            let sep = if lang.code() == "en" { "." } else { "," };
            let average = format!("{}{sep}{}", average_tenths / 10, average_tenths % 10);
            let (subject, body) = if *suspended {
                (
                    "mail-standing-suspended-subject",
                    "mail-standing-suspended-body",
                )
            } else {
                (
                    "mail-standing-flagged-subject",
                    "mail-standing-flagged-body",
                )
            };
            (
                lang.t_args(subject, &[("title", title.clone())]),
                lang.t_args(
                    body,
                    &[
                        ("title", title.clone()),
                        ("average", average),
                        ("answers", answers.to_string()),
                        ("link", format!("{base}/aanbieder/beoordelingen")),
                    ],
                ),
            )
        }
        Message::PlacementProposed { employer, work } => (
            lang.t_args("mail-placement-subject", &[("employer", employer.clone())]),
            lang.t_args(
                "mail-placement-body",
                &[
                    ("employer", employer.clone()),
                    ("work", work.clone()),
                    ("link", format!("{base}/uitwisseling")),
                ],
            ),
        ),
        Message::ComplaintAnswered { title } => (
            lang.t_args("mail-complaint-subject", &[("title", title.clone())]),
            lang.t_args(
                "mail-complaint-body",
                &[
                    ("title", title.clone()),
                    ("link", format!("{base}/inschrijvingen/klachten")),
                ],
            ),
        ),
        Message::PlaceFromWaitlist { programme, title } => (
            lang.t_args("mail-place-subject", &[("title", title.clone())]),
            lang.t_args(
                "mail-place-body",
                &[
                    ("title", title.clone()),
                    ("link", format!("{base}/advies/{programme}")),
                ],
            ),
        ),
    }
}

/// A message on a page.
pub struct MessageView {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub at: String,
    pub state: String,
    /// The message's language, when it is not the page's.
    pub lang: Option<String>,
}

fn view(page: &PageCtx, m: &OutboxMessage) -> MessageView {
    let lang = Lang::parse(&m.lang).unwrap_or_default();
    let (subject, body) = text(lang, &m.message, "");
    MessageView {
        to: m.to.clone(),
        subject,
        body,
        at: format_time(m.created_at),
        state: match (m.sent_at, m.given_up_at, &m.last_error) {
            (Some(_), _, _) => page.t("mail-sent"),
            (None, Some(_), _) => page.t("mail-given-up"),
            (None, None, Some(_)) => page.t("mail-retrying"),
            (None, None, None) => page.t("mail-not-sent"),
        },
        lang: (lang != page.lang).then(|| lang.code().to_owned()),
    }
}

#[derive(Template)]
#[template(path = "mail/messages.html")]
struct MessagesPage {
    page: PageCtx,
    messages: Vec<MessageView>,
    mailbox: bool,
}

/// GET /berichten
pub async fn mine(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    let all = state.mailbox().mine(&auth.principal).await?;
    Ok(render(
        StatusCode::OK,
        &MessagesPage {
            messages: all.iter().map(|m| view(&page, m)).collect(),
            mailbox: false,
            page,
        },
    ))
}

/// GET /beheer/berichten
pub async fn mailbox(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ViewAnyAccount>,
) -> Result<Response, Problem> {
    let all = state.mailbox().all(&auth.principal).await?;
    Ok(render(
        StatusCode::OK,
        &MessagesPage {
            messages: all.iter().map(|m| view(&page, m)).collect(),
            mailbox: true,
            page,
        },
    ))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/berichten", get(mine))
        .route("/beheer/berichten", get(mailbox))
}

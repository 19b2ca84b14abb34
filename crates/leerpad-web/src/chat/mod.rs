//! Chat with an advisor on the web: `/gesprekken` (ask a question, your conversations), a
//! conversation page that works without JavaScript (a form and a refresh link) and, with it,
//! live over a WebSocket (`ws`: messages, typing, read receipts, video-call signalling), and
//! the advisor's inbox at `/adviseur/gesprekken`. The WebSocket protocol is described in
//! `docs/chat-protocol.md`.

pub(crate) mod hub;
pub(crate) mod pages;
pub(crate) mod ws;

use crate::error::Problem;
use crate::pages::{PageCtx, local_time};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leerpad_domain::chat::ChatMessage;
use leerpad_domain::shared::UserId;
use std::num::NonZeroU32;

/// Messages one person may send a minute (in bursts of as many), per server.
const MESSAGES_PER_MINUTE: u32 = 30;

/// How many messages a person sends, so a script cannot flood a conversation.
pub struct MessageLimiter {
    limiter: DefaultKeyedRateLimiter<i64>,
}

impl Default for MessageLimiter {
    fn default() -> Self {
        MessageLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(MESSAGES_PER_MINUTE).unwrap_or(NonZeroU32::MIN),
            )),
        }
    }
}

impl MessageLimiter {
    /// Take one message's share for `user`, or a 429 problem saying when to go on.
    pub fn check(&self, user: UserId) -> Result<(), Problem> {
        self.limiter.check_key(&user.get()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Problem::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "too-many-messages",
                format!(
                    "too many messages; wait {} seconds",
                    wait.as_secs().saturating_add(1)
                ),
            )
        })
    }
}

/// A message as a page shows it.
pub struct MessageView {
    pub id: i64,
    /// "mine", "theirs" or "system".
    pub side: &'static str,
    pub who: String,
    pub at: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    pub body: String,
    /// Mine and read by the other.
    pub read: bool,
}

/// Who wrote what, as the viewer sees it.
pub struct Names<'a> {
    pub me: UserId,
    pub learner: (UserId, &'a str),
    pub advisor: Option<(UserId, &'a str)>,
}

impl Names<'_> {
    pub fn who(&self, page: &PageCtx, author: Option<UserId>) -> (&'static str, String) {
        match author {
            None => ("system", page.t("chat-leerpad")),
            Some(a) if a == self.me => ("mine", page.t("chat-you")),
            Some(a) if a == self.learner.0 => ("theirs", self.learner.1.to_owned()),
            Some(a) => (
                "theirs",
                self.advisor
                    .filter(|(id, _)| *id == a)
                    .map(|(_, n)| n.to_owned())
                    .unwrap_or_default(),
            ),
        }
    }
}

/// What was wrong with a message, in `lang` where the problem has a text, else as said.
pub fn problems_in(
    lang: crate::i18n::Lang,
    list: Vec<leerpad_domain::shared::FieldError>,
) -> Vec<String> {
    list.into_iter()
        .map(|f| {
            f.code
                .and_then(|code| lang.try_t_args(&format!("chat-error-{code}"), &f.args))
                .unwrap_or(f.message)
        })
        .collect()
}

pub fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

pub fn message_view(
    page: &PageCtx,
    names: &Names<'_>,
    m: &ChatMessage,
    other_read_up_to: i64,
) -> MessageView {
    let (side, who) = names.who(page, m.author_id);
    MessageView {
        id: m.id,
        side,
        who,
        at: local_time(m.created_at, page),
        datetime: rfc3339(m.created_at),
        body: m.body.clone(),
        read: side == "mine" && m.id <= other_read_up_to,
    }
}

pub(crate) fn routes() -> axum::Router<crate::state::AppState> {
    pages::routes().merge(ws::routes())
}

//! The live conversation: `GET /gesprekken/{id}/ws` upgrades to a WebSocket for the two
//! participants (same origin only). Frames are JSON text; `docs/chat-protocol.md` describes
//! them. The connection remembers the last message id it sent and, whenever the bus says
//! something changed (or may have been missed), sends what the database has after that id: in
//! order, once, whatever happened to the bus or the connection before.

use super::{MessageView, Names, message_view, rfc3339};
use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::i18n::Lang;
use crate::pages::PageCtx;
use crate::state::AppState;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use leerpad_app::error::AppError;
use leerpad_domain::chat::ports::ChatSignal;
use leerpad_domain::chat::{Conversation, ConversationStatus};
use leerpad_domain::policy::Principal;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The largest frame a client may send (a message of 2,000 characters fits several times).
pub const MAX_FRAME_BYTES: usize = 16 * 1024;
/// A client that says nothing for this long is pinged.
const PING_EVERY: Duration = Duration::from_secs(25);

/// What a client sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientFrame {
    /// First frame (and after a reconnect): the last message id the client has.
    Resume {
        after: i64,
    },
    /// A message; `key` makes a resend the same message.
    Send {
        body: String,
        key: String,
    },
    Typing,
    Read {
        up_to: i64,
    },
    /// WebRTC signalling for the other participant, passed on as is.
    Rtc {
        data: String,
    },
}

/// What the server sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerFrame<'a> {
    Message {
        id: i64,
        mine: bool,
        system: bool,
        who: &'a str,
        body: &'a str,
        /// RFC 3339.
        at: String,
        /// As the page shows it (Dutch local time).
        time: &'a str,
    },
    Status {
        status: ConversationStatus,
        /// The page's status line, in the person's language.
        text: String,
        position: Option<usize>,
    },
    Typing {
        text: String,
    },
    Read {
        up_to: i64,
    },
    Rtc {
        data: &'a str,
    },
    /// A frame that could not be done (e.g. too many messages); the connection stays.
    Error {
        code: &'a str,
        message: String,
    },
}

fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Not a browser (browsers always send Origin on a WebSocket): the cookie or token
        // alone decides.
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// GET /gesprekken/{id}/ws
pub async fn socket(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    crate::extract::ClientIp(ip): crate::extract::ClientIp,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, Problem> {
    if !same_origin(&headers) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "cross-origin",
            "a conversation opens only from Leerpad's own pages",
        ));
    }
    let chat = state.chat();
    let conversation = chat.join(&auth.principal, id).await?;
    if conversation.advisor_id == Some(auth.principal.user_id) {
        chat.log_access(&auth.principal, &conversation, Some(&ip))
            .await?;
    }
    let principal = auth.principal;
    Ok(ws
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| async move {
            let mut live = Live::new(state, page.lang, principal, conversation).await;
            if let Err(e) = live.run(socket).await {
                tracing::debug!(error = %e, "chat connection ended");
            }
        }))
}

/// One participant's live connection.
struct Live {
    state: AppState,
    page: PageCtx,
    principal: Principal,
    conversation: Conversation,
    learner_name: String,
    advisor_name: Option<String>,
    /// The last message id sent to this client.
    sent_up_to: i64,
    /// The client has said where it is (`resume`); until then nothing is sent, so a signal that
    /// arrives first cannot send it what it already has.
    resumed: bool,
}

#[derive(Debug, thiserror::Error)]
enum LiveError {
    #[error("socket: {0}")]
    Socket(#[from] axum::Error),
    #[error(transparent)]
    App(#[from] AppError),
    #[error("the bus is gone")]
    BusGone,
}

impl Live {
    async fn new(
        state: AppState,
        lang: Lang,
        principal: Principal,
        conversation: Conversation,
    ) -> Live {
        let page = PageCtx {
            lang,
            ..PageCtx::anonymous()
        };
        let chat = state.chat();
        let learner_name = chat
            .display_name(conversation.learner_id)
            .await
            .unwrap_or_default();
        let advisor_name = match conversation.advisor_id {
            Some(a) => chat.display_name(a).await.ok(),
            None => None,
        };
        Live {
            state,
            page,
            principal,
            conversation,
            learner_name,
            advisor_name,
            sent_up_to: 0,
            resumed: false,
        }
    }

    async fn send(socket: &mut WebSocket, frame: &ServerFrame<'_>) -> Result<(), LiveError> {
        let text = serde_json::to_string(frame).unwrap_or_default();
        socket.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// Everything after the last id sent, in order.
    async fn catch_up(&mut self, socket: &mut WebSocket) -> Result<(), LiveError> {
        let messages = self
            .state
            .chat()
            .messages_for(&self.conversation, self.sent_up_to)
            .await?;
        let names = Names {
            me: self.principal.user_id,
            learner: (self.conversation.learner_id, &self.learner_name),
            advisor: self
                .conversation
                .advisor_id
                .zip(self.advisor_name.as_deref()),
        };
        for m in &messages {
            let MessageView {
                side,
                who,
                at,
                body,
                ..
            } = message_view(&self.page, &names, m, 0);
            Self::send(
                socket,
                &ServerFrame::Message {
                    id: m.id,
                    mine: side == "mine",
                    system: side == "system",
                    who: &who,
                    body: &body,
                    at: rfc3339(m.created_at),
                    time: &at,
                },
            )
            .await?;
            self.sent_up_to = m.id;
        }
        Ok(())
    }

    /// The conversation as it is now, and its status line.
    async fn status(&mut self, socket: &mut WebSocket) -> Result<(), LiveError> {
        let chat = self.state.chat();
        let view = chat.view(&self.principal, self.conversation.id).await?;
        self.advisor_name = view.advisor_name.clone();
        self.conversation = view.conversation.clone();
        let learner = self.conversation.learner_id == self.principal.user_id;
        Self::send(
            socket,
            &ServerFrame::Status {
                status: self.conversation.status,
                text: super::pages::standing(&self.page, &view, learner),
                position: view.queue_position,
            },
        )
        .await
    }

    async fn run(&mut self, mut socket: WebSocket) -> Result<(), LiveError> {
        let mut signals = self
            .state
            .chat_hub()
            .join(self.state.chat(), self.conversation.id);
        let me = self.principal.user_id;
        let id = self.conversation.id;
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                frame = socket.recv() => {
                    let Some(frame) = frame else { return Ok(()) };
                    let frame = match frame {
                        Ok(frame) => frame,
                        Err(e) => {
                            // Say why before going: a frame over the limit is 1009, anything
                            // else a protocol error (1002).
                            let text = e.to_string();
                            let code = if text.contains("too long") || text.contains("Space limit") {
                                close_code::SIZE
                            } else {
                                close_code::PROTOCOL
                            };
                            let _ = socket
                                .send(Message::Close(Some(CloseFrame {
                                    code,
                                    reason: "".into(),
                                })))
                                .await;
                            return Err(e.into());
                        }
                    };
                    match frame {
                        Message::Text(text) => self.handle(&mut socket, text.as_str()).await?,
                        Message::Binary(_) => Self::send(&mut socket, &ServerFrame::Error {
                            code: "text-only",
                            message: "frames are JSON text".to_owned(),
                        }).await?,
                        // The close is answered by reading on until the socket ends.
                        Message::Close(_) | Message::Ping(_) | Message::Pong(_) => {}
                    }
                }
                signal = signals.next() => {
                    let signal = signal.ok_or(LiveError::BusGone)?;
                    if !self.resumed {
                        continue;
                    }
                    match signal {
                        ChatSignal::Message { c } if c == id => self.catch_up(&mut socket).await?,
                        ChatSignal::Resync => {
                            self.catch_up(&mut socket).await?;
                            self.status(&mut socket).await?;
                        }
                        ChatSignal::Changed { c } if c == id => self.status(&mut socket).await?,
                        ChatSignal::Queue
                            if self.conversation.status == ConversationStatus::Waiting =>
                        {
                            self.status(&mut socket).await?;
                        }
                        ChatSignal::Typing { c, u } if c == id && u != me => {
                            let name = if u == self.conversation.learner_id {
                                self.learner_name.clone()
                            } else {
                                self.advisor_name.clone().unwrap_or_default()
                            };
                            let text = self.page.t_args("chat-typing", &[("name", name)]);
                            Self::send(&mut socket, &ServerFrame::Typing { text }).await?;
                        }
                        ChatSignal::Read { c, u, id: up_to } if c == id && u != me => {
                            Self::send(&mut socket, &ServerFrame::Read { up_to }).await?;
                        }
                        ChatSignal::Rtc { c, from, data } if c == id && from != me => {
                            Self::send(&mut socket, &ServerFrame::Rtc { data: &data }).await?;
                        }
                        _ => {}
                    }
                }
                _ = ping.tick() => {
                    socket.send(Message::Ping(Vec::new().into())).await?;
                }
            }
        }
    }

    async fn handle(&mut self, socket: &mut WebSocket, text: &str) -> Result<(), LiveError> {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                return Self::send(
                    socket,
                    &ServerFrame::Error {
                        code: "bad-frame",
                        message: e.to_string(),
                    },
                )
                .await;
            }
        };
        let chat = self.state.chat().clone();
        let id = self.conversation.id;
        let result = match frame {
            ClientFrame::Resume { after } => {
                self.sent_up_to = after.max(0);
                self.resumed = true;
                self.status(socket).await?;
                self.catch_up(socket).await?;
                Ok(())
            }
            ClientFrame::Send { body, key } => {
                match self.state.chat_limits().check(self.principal.user_id) {
                    Err(p) => {
                        return Self::send(
                            socket,
                            &ServerFrame::Error {
                                code: "too-many-messages",
                                message: p.detail.unwrap_or_default(),
                            },
                        )
                        .await;
                    }
                    Ok(()) => chat
                        .send(&self.principal, id, &body, Some(key.as_str()))
                        .await
                        .map(|_| ()),
                }
            }
            ClientFrame::Typing => chat.typing(&self.principal, id).await,
            ClientFrame::Read { up_to } => chat.read(&self.principal, id, up_to).await,
            ClientFrame::Rtc { data } => chat.rtc(&self.principal, id, &data).await,
        };
        match result {
            Ok(()) => Ok(()),
            Err(AppError::InvalidFields(list)) => {
                let message = super::problems_in(self.page.lang, list).join(" ");
                Self::send(
                    socket,
                    &ServerFrame::Error {
                        code: "invalid",
                        message,
                    },
                )
                .await
            }
            Err(AppError::Conflict(m)) => {
                Self::send(
                    socket,
                    &ServerFrame::Error {
                        code: "refused",
                        message: m,
                    },
                )
                .await
            }
            Err(e) => Err(e.into()),
        }
    }
}

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/gesprekken/{id}/ws", axum::routing::get(socket))
}

//! One subscription to the chat bus per server, passed on by conversation: a signal wakes only
//! the connections of its conversation (thousands of open connections do not all wake for each
//! message); what concerns everyone (the queue moved, read everything again) goes to all.

use leerpad_app::chat::Chat;
use leerpad_domain::chat::ports::ChatSignal;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::broadcast;

/// Signals one conversation's connections may fall behind by before they read everything again.
const ROOM_BUFFER: usize = 256;
const ALL_BUFFER: usize = 1_024;

#[derive(Default)]
pub struct Hub {
    rooms: Arc<Mutex<HashMap<i64, broadcast::Sender<ChatSignal>>>>,
    all: OnceLock<broadcast::Sender<ChatSignal>>,
}

/// What one connection hears.
pub struct Room {
    own: broadcast::Receiver<ChatSignal>,
    all: broadcast::Receiver<ChatSignal>,
}

impl Room {
    /// The next signal for this conversation or for everyone; `None` when the server stops.
    pub async fn next(&mut self) -> Option<ChatSignal> {
        let received = tokio::select! {
            s = self.own.recv() => s,
            s = self.all.recv() => s,
        };
        match received {
            Ok(signal) => Some(signal),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(ChatSignal::Resync),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

fn conversation_of(signal: &ChatSignal) -> Option<i64> {
    match signal {
        ChatSignal::Message { c }
        | ChatSignal::Typing { c, .. }
        | ChatSignal::Read { c, .. }
        | ChatSignal::Changed { c }
        | ChatSignal::Rtc { c, .. } => Some(*c),
        ChatSignal::Queue | ChatSignal::Resync => None,
    }
}

impl Hub {
    /// Listen to a conversation's signals (the first call starts the server's subscription).
    pub fn join(&self, chat: &Chat, conversation: i64) -> Room {
        let all = self.all.get_or_init(|| {
            let (all, _) = broadcast::channel(ALL_BUFFER);
            let mut bus = chat.subscribe();
            let rooms = self.rooms.clone();
            let everyone = all.clone();
            tokio::spawn(async move {
                while let Some(signal) = bus.next().await {
                    match conversation_of(&signal) {
                        None => {
                            let _ = everyone.send(signal);
                        }
                        Some(c) => {
                            let Ok(mut rooms) = rooms.lock() else { return };
                            if let Some(room) = rooms.get(&c)
                                && room.send(signal).is_err()
                            {
                                // Nobody is listening to it any more.
                                rooms.remove(&c);
                            }
                        }
                    }
                }
            });
            all
        });
        let own = match self.rooms.lock() {
            Ok(mut rooms) => rooms
                .entry(conversation)
                .or_insert_with(|| broadcast::channel(ROOM_BUFFER).0)
                .subscribe(),
            // A poisoned lock: a room of its own that hears only what is for everyone.
            Err(_) => broadcast::channel(1).0.subscribe(),
        };
        Room {
            own,
            all: all.subscribe(),
        }
    }
}

-- Conversations between a learner and an advisor, their messages (ids grow: a client catches
-- up with "after id N"), how far each participant read, and which advisors are on duty for
-- questions. A conversation goes with the learner's account; a message's client key makes a
-- resent message the same message.

CREATE TABLE chat_conversations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    advisor_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    programme_id   INTEGER REFERENCES advice_programmes(id) ON DELETE SET NULL,
    appointment_id INTEGER REFERENCES advice_appointments(id) ON DELETE SET NULL,
    subject        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('waiting', 'open', 'closed')),
    after_hours    INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    assigned_at    INTEGER,
    closed_at      INTEGER,
    rating         INTEGER CHECK (rating BETWEEN 1 AND 5)
);
CREATE INDEX chat_conversations_learner ON chat_conversations(learner_id, id);
CREATE INDEX chat_conversations_advisor ON chat_conversations(advisor_id, status);
CREATE INDEX chat_conversations_waiting ON chat_conversations(status, id);
CREATE UNIQUE INDEX chat_conversations_appointment ON chat_conversations(appointment_id)
    WHERE appointment_id IS NOT NULL;

CREATE TABLE chat_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body            TEXT NOT NULL,
    client_key      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX chat_messages_conversation ON chat_messages(conversation_id, id);
CREATE UNIQUE INDEX chat_messages_client_key ON chat_messages(conversation_id, client_key)
    WHERE client_key IS NOT NULL;

CREATE TABLE chat_reads (
    conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    up_to           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE TABLE chat_duty (
    advisor_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    on_until         INTEGER NOT NULL,
    max_open         INTEGER NOT NULL,
    last_assigned_at INTEGER
);

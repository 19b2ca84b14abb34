-- Messages to people, written with the work that causes them and delivered afterwards. The key
-- makes a message unique to its cause, so retried work does not write it twice. A person's
-- messages go with their account.

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT    NOT NULL UNIQUE,
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    to_address TEXT    NOT NULL,
    lang       TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_undelivered ON outbox(sent_at, id);

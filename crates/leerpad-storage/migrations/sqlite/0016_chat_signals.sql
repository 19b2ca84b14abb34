-- Chat signals too large for a PostgreSQL NOTIFY payload (a video call's session description):
-- stored here for a few minutes, and the notification carries only the row's id. (SQLite
-- servers are one process and do not use it.)

CREATE TABLE chat_signals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

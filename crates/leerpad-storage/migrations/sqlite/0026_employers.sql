-- Employers: one company per employer account, and the staff exchanges companies post.
CREATE TABLE companies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id   INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    kvk        TEXT   NOT NULL UNIQUE,
    name       TEXT   NOT NULL,
    content    TEXT   NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE exchanges (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL CHECK (kind IN ('offer', 'ask')),
    content    TEXT   NOT NULL,
    status     TEXT   NOT NULL DEFAULT 'open',
    created_at INTEGER NOT NULL
);
CREATE INDEX exchanges_open ON exchanges(status, created_at);

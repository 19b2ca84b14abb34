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

-- A proposed exchange between an ask and an offer of two companies: it goes ahead only when
-- the asking company, the offering company and the employee the offering company names agree.
CREATE TABLE exchange_proposals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    ask_id         INTEGER NOT NULL REFERENCES exchanges(id) ON DELETE CASCADE,
    offer_id       INTEGER NOT NULL REFERENCES exchanges(id) ON DELETE CASCADE,
    asking_ok      INTEGER NOT NULL,
    offering_ok    INTEGER NOT NULL,
    employee_email TEXT,
    employee_ok    INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    changed_at     INTEGER NOT NULL,
    UNIQUE (ask_id, offer_id)
);

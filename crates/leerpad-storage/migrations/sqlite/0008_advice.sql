-- Ontwikkeladvies: advice programmes, people's registrations and the draws of their windows.
-- A programme's definition (texts, capacity, eligibility rule, reserves, windows) is one JSON
-- document. A person registers once per programme; the draw of a window happens once (its
-- primary key) and is kept as published, so anyone can redo it.

CREATE TABLE advice_programmes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT    NOT NULL UNIQUE,
    status     TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
    version    INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE advice_registrations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id      INTEGER NOT NULL REFERENCES advice_programmes(id),
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reference         TEXT    NOT NULL UNIQUE,
    groups            TEXT    NOT NULL,
    region            TEXT,
    status            TEXT    NOT NULL
        CHECK (status IN ('registered', 'allocated', 'waitlisted', 'cancelled')),
    reserve           INTEGER,
    waitlist_position INTEGER,
    window_opens      INTEGER,
    created_at        INTEGER NOT NULL,
    UNIQUE (programme_id, user_id)
);
CREATE INDEX advice_registrations_window ON advice_registrations(programme_id, window_opens, status);

CREATE TABLE advice_draws (
    programme_id INTEGER NOT NULL REFERENCES advice_programmes(id),
    window_opens INTEGER NOT NULL,
    published    TEXT    NOT NULL,
    drawn_at     INTEGER NOT NULL,
    PRIMARY KEY (programme_id, window_opens)
);

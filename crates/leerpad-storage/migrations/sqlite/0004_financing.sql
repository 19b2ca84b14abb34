-- Financing schemes (regelingen). A scheme's definition (texts, coverage, stacking, budget
-- limits, eligibility rule) is one JSON document, read and written whole; every saved change
-- is kept as a revision: the audit trail programme managers see.

CREATE TABLE schemes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT    NOT NULL UNIQUE,
    status     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE scheme_revisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id  INTEGER NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    definition TEXT    NOT NULL,
    actor_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at         INTEGER NOT NULL,
    UNIQUE (scheme_id, version)
);

-- Money a scheme has promised (reserved) or paid (spent) to a person, for an offer. Budgets,
-- yearly maximums, per-offer caps and "used before" all follow from these rows.
CREATE TABLE scheme_awards (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id    INTEGER NOT NULL REFERENCES schemes(id),
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    offer_id     INTEGER REFERENCES offers(id) ON DELETE SET NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    state        TEXT    NOT NULL CHECK (state IN ('reserved', 'spent')),
    awarded_on   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX scheme_awards_scheme_offer ON scheme_awards(scheme_id, offer_id);
CREATE INDEX scheme_awards_user ON scheme_awards(user_id);

-- A person's answers for the financing check (age, employment, education, municipality, …).
CREATE TABLE person_situations (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    facts      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

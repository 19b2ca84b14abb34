-- Enrolments in course runs, paid from learning accounts: one row per request, moved from step
-- to step with a version check (two steps at once: one wins). The deadline is the last day of
-- the step it waits for; the money held is a ledger hold (ledger_transfers).

CREATE TABLE enrolments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    offer_id     INTEGER NOT NULL REFERENCES offers(id),
    provider_id  INTEGER NOT NULL REFERENCES providers(id),
    run          TEXT   NOT NULL,
    status       TEXT   NOT NULL CHECK (status IN ('requested', 'offered', 'declined',
        'confirmed', 'started', 'completed', 'withdrawn', 'cancelled', 'no-show', 'expired')),
    price_cents  INTEGER CHECK (price_cents > 0),
    starts_on    TEXT,
    ends_on      TEXT,
    deadline     TEXT,
    confirmed_on TEXT,
    hold_id      INTEGER REFERENCES ledger_transfers(id),
    note         TEXT,
    version      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    changed_at   INTEGER NOT NULL
);
CREATE INDEX enrolments_learner ON enrolments(learner_id, id);
CREATE INDEX enrolments_provider ON enrolments(provider_id, id);
CREATE INDEX enrolments_deadline ON enrolments(deadline);

-- Calls for cost coverage and providers' applications. An application moves through the
-- review with a version check (two steps at once: one wins); its history is kept step by step.
-- Approved places are counted per course and year (call_places) in the transaction that
-- approves, with the call's row locked, and the money is a ledger hold from the call's budget.

CREATE TABLE calls (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT   NOT NULL UNIQUE,
    definition  TEXT   NOT NULL,
    seed        TEXT   NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);

CREATE TABLE call_applications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id      BIGINT NOT NULL REFERENCES calls(id),
    provider_id  BIGINT NOT NULL REFERENCES providers(id),
    lines        TEXT   NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    status       TEXT   NOT NULL CHECK (status IN ('draft', 'submitted', 'admissibility_check',
        'review', 'information_requested', 'approved', 'rejected', 'objection', 'withdrawn',
        'settled')),
    deadline     TEXT,
    paused_days  BIGINT,
    objected     INTEGER NOT NULL DEFAULT 0,
    hold_id      BIGINT REFERENCES ledger_transfers(id),
    version      BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    changed_at   BIGINT NOT NULL
);
CREATE INDEX call_applications_call ON call_applications(call_id, id);
CREATE INDEX call_applications_provider ON call_applications(provider_id, id);
CREATE INDEX call_applications_deadline ON call_applications(status, deadline);

CREATE TABLE call_places (
    application_id BIGINT NOT NULL REFERENCES call_applications(id),
    call_id        BIGINT NOT NULL REFERENCES calls(id),
    offer_id       BIGINT NOT NULL,
    year           BIGINT NOT NULL,
    places         BIGINT NOT NULL CHECK (places > 0),
    amount_cents   BIGINT NOT NULL,
    level          TEXT,
    -- What the course cost in the catalogue when it was approved (for the price signal).
    offer_price_cents BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (application_id, offer_id)
);
CREATE INDEX call_places_course ON call_places(call_id, offer_id, year);

CREATE TABLE call_application_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES call_applications(id),
    at             BIGINT NOT NULL,
    step           TEXT   NOT NULL,
    actor_user_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    text           TEXT,
    status         TEXT   NOT NULL
);
CREATE INDEX call_application_events_app ON call_application_events(application_id, id);

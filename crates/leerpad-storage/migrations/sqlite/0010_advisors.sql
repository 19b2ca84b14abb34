-- Career advisors (their profile and availability as JSON) and appointments. A slot of an
-- advisor is booked once (a unique index over booked appointments), and a registration has
-- at most one booked appointment; a retried booking with the same idempotency key finds the
-- first one.

CREATE TABLE advisors (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    profile      TEXT    NOT NULL,
    availability TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE advice_appointments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    advisor_id      INTEGER NOT NULL REFERENCES advisors(user_id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES advice_registrations(id) ON DELETE CASCADE,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    mode            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('booked', 'cancelled', 'done', 'no_show')),
    idempotency_key TEXT    NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    changed_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX advice_appointments_slot ON advice_appointments(advisor_id, starts_at)
    WHERE status = 'booked';
CREATE UNIQUE INDEX advice_appointments_one_per_registration ON advice_appointments(registration_id)
    WHERE status = 'booked';
CREATE INDEX advice_appointments_advisor_time ON advice_appointments(advisor_id, starts_at);

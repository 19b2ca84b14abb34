-- The provider portal: organisations registered by an account wait for a programme manager to
-- verify them before their offers are published; trading names; the history of each offer a
-- provider writes itself; and learners' complaints about a course.

ALTER TABLE providers ADD COLUMN trading_names TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN verified_at INTEGER;
ALTER TABLE providers ADD COLUMN verified_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
-- Organisations known before verification existed came from operators' imports: verified.
UPDATE providers SET verified_at = created_at;

-- Every version of an offer written by its provider (portal form, upload, API), whole, so the
-- history can say what changed.
CREATE TABLE offer_revisions (
    offer_id   INTEGER NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
    change_seq INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    content    TEXT   NOT NULL,
    PRIMARY KEY (offer_id, change_seq)
);

CREATE TABLE complaints (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    enrolment_id INTEGER NOT NULL REFERENCES enrolments(id) ON DELETE CASCADE,
    learner_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    offer_id     INTEGER NOT NULL,
    provider_id  INTEGER NOT NULL,
    subject      TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    at           INTEGER NOT NULL,
    answer       TEXT,
    answered_at  INTEGER,
    answered_by  INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX complaints_provider ON complaints(provider_id, at);
CREATE INDEX complaints_offer ON complaints(offer_id);

-- Reviewers' scores of an application to a call decided by scoring: one row per reviewer,
-- the scores in the order of the call's criteria (JSON array); a reviewer may change them.
CREATE TABLE call_scores (
    application_id INTEGER NOT NULL REFERENCES call_applications(id) ON DELETE CASCADE,
    reviewer_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scores         TEXT   NOT NULL,
    at             INTEGER NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

-- Development plans (every version kept, with the learner's comments) and the learner's consent
-- for an advisor to read their profile. A plan goes with the learner's account.

CREATE TABLE plan_versions (
    registration_id INTEGER NOT NULL REFERENCES advice_registrations(id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    learner_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    advisor_id      INTEGER NOT NULL,
    content         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (registration_id, version)
);

CREATE TABLE plan_comments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL REFERENCES advice_registrations(id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    author_id       INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX plan_comments_registration ON plan_comments(registration_id, id);

CREATE TABLE advice_consents (
    learner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    advisor_id INTEGER NOT NULL,
    expires_at INTEGER,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (learner_id, advisor_id)
);

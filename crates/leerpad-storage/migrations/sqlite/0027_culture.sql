-- The learning-culture monitor: one answer per person, audience and quarter (answering again
-- in the same quarter replaces it). The scores are a JSON list of [question, 1-5] under the
-- survey version they were given for; example answers (the demo's) have no person.
CREATE TABLE culture_answers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    audience   TEXT    NOT NULL CHECK (audience IN ('employee', 'employer')),
    version    INTEGER NOT NULL,
    region     TEXT    NOT NULL,
    period     TEXT    NOT NULL,
    scores     TEXT    NOT NULL,
    example    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, audience, period)
);
CREATE INDEX culture_answers_region ON culture_answers(region, period);

-- Labour-market demand: the latest figures per subject (ESCO occupation or ISCO group), area and
-- period, the record kept as JSON (counts, tension and trend).
CREATE TABLE demand_figures (
    subject     TEXT    NOT NULL,
    area_kind   TEXT    NOT NULL,
    area        TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    record      TEXT    NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (subject, area_kind, area, period)
);

-- A learner's skills profile (skills with their origin, occupations, circumstances) as JSON.
CREATE TABLE learner_profiles (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    profile    TEXT    NOT NULL,
    updated_at BIGINT NOT NULL
);

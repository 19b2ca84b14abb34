-- The ESCO taxonomy. The whole taxonomy is kept as one snapshot (the compact form the
-- application loads into memory at start); skills and occupations are also rows, so other tables
-- and SQL reports can refer to them by URI.

CREATE TABLE esco_snapshot (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    version     TEXT    NOT NULL,
    imported_at BIGINT NOT NULL,
    data        BYTEA   NOT NULL
);

CREATE TABLE esco_skills (
    uri         TEXT PRIMARY KEY,
    skill_type  TEXT NOT NULL,
    reuse_level TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    label_nl    TEXT
);

CREATE TABLE esco_occupations (
    uri       TEXT PRIMARY KEY,
    isco_code TEXT NOT NULL,
    code      TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    label_nl  TEXT
);

-- The training catalogue: providers, the accounts that act for them, and offers.
-- An offer's content (texts, runs, cost lines, skills) is one JSON document: it is always read and
-- written whole, and searched through the search index, which is derived from this table.

CREATE TABLE providers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kvk            TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    accreditations TEXT    NOT NULL DEFAULT '',
    email          TEXT,
    phone          TEXT,
    website        TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE provider_members (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, provider_id)
);

CREATE TABLE offers (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id       INTEGER NOT NULL REFERENCES providers(id),
    provider_offer_id TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    content           TEXT    NOT NULL,
    content_hash      TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    -- The catalogue's change counter: every write takes the next numbers, so consumers (the
    -- change feed, the search index) can ask for everything after the last one they saw.
    created_seq       INTEGER NOT NULL,
    change_seq        INTEGER NOT NULL,
    UNIQUE (provider_id, provider_offer_id)
);
CREATE INDEX offers_change_seq ON offers(change_seq);

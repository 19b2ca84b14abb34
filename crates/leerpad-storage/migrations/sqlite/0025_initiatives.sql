-- Regional initiatives: the record is one JSON document (read and written whole); the columns
-- beside it are what lists filter and sort on.
CREATE TABLE initiatives (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    region     TEXT   NOT NULL,
    sector     TEXT   NOT NULL,
    title      TEXT   NOT NULL,
    search     TEXT   NOT NULL,
    parel      INTEGER NOT NULL,
    content    TEXT   NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX initiatives_region ON initiatives(region, parel, created_at);

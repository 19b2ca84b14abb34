-- The platform's clearing account (payouts on their way to a provider's bank) is a kind of its
-- own: like every account but funding, it never goes below zero. SQLite cannot change a CHECK
-- constraint, and this migration runs inside a transaction (where foreign keys cannot be
-- switched off), so the table is rebuilt under the same name with its foreign keys deferred:
-- dropping it leaves the transfers pointing at missing accounts for a moment, and putting the
-- same rows back makes them whole again before the commit checks.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE ledger_accounts_copy AS SELECT * FROM ledger_accounts;
DROP TABLE ledger_accounts;
CREATE TABLE ledger_accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT   NOT NULL
        CHECK (kind IN ('learner', 'scheme', 'employer', 'provider', 'clearing', 'funding')),
    account_key TEXT  NOT NULL UNIQUE,
    name       TEXT   NOT NULL,
    posted     INTEGER NOT NULL DEFAULT 0,
    held       INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    incoming   INTEGER NOT NULL DEFAULT 0 CHECK (incoming >= 0),
    created_at INTEGER NOT NULL,
    CHECK (kind = 'funding' OR posted - held >= 0)
);
INSERT INTO ledger_accounts (id, kind, account_key, name, posted, held, incoming, created_at)
    SELECT id, kind, account_key, name, posted, held, incoming, created_at
    FROM ledger_accounts_copy ORDER BY id;
DROP TABLE ledger_accounts_copy;

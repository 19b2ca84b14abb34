-- The leerrekening's double-entry ledger. An account keeps its balances (posted, held for
-- payments not yet made, coming from holds elsewhere), changed only in the transaction that
-- writes the transfer causing the change; the database itself refuses a balance below zero on
-- any account but a funding account. A transfer is never changed afterwards, except a hold's
-- state; a hold is settled (posted, voided, expired) once. Every command's idempotency key is
-- written first in its transaction (so two requests with one key take turns) with the first
-- answer: the transfer, or the refusal.

CREATE TABLE ledger_accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT   NOT NULL
        CHECK (kind IN ('learner', 'scheme', 'employer', 'provider', 'funding')),
    account_key TEXT  NOT NULL UNIQUE,
    name       TEXT   NOT NULL,
    posted     INTEGER NOT NULL DEFAULT 0,
    held       INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    incoming   INTEGER NOT NULL DEFAULT 0 CHECK (incoming >= 0),
    created_at INTEGER NOT NULL,
    CHECK (kind = 'funding' OR posted - held >= 0)
);

CREATE TABLE ledger_transfers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    idem_key     TEXT   NOT NULL UNIQUE,
    fingerprint  TEXT   NOT NULL,
    kind         TEXT   NOT NULL CHECK (kind IN ('transfer', 'hold', 'post', 'void', 'expire')),
    from_account INTEGER NOT NULL REFERENCES ledger_accounts(id),
    to_account   INTEGER NOT NULL REFERENCES ledger_accounts(id),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    hold_id      INTEGER REFERENCES ledger_transfers(id),
    state        TEXT CHECK (state IN ('pending', 'posted', 'voided', 'expired')),
    expires_at   INTEGER,
    memo         TEXT   NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX ledger_transfers_from ON ledger_transfers(from_account, id);
CREATE INDEX ledger_transfers_to ON ledger_transfers(to_account, id);
CREATE INDEX ledger_holds_due ON ledger_transfers(state, expires_at);
CREATE UNIQUE INDEX ledger_one_settlement ON ledger_transfers(hold_id) WHERE hold_id IS NOT NULL;

CREATE TABLE ledger_keys (
    idem_key    TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    transfer_id INTEGER REFERENCES ledger_transfers(id),
    refusal     TEXT,
    at          INTEGER NOT NULL
);

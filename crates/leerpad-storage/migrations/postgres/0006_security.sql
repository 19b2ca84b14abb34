-- Security fixes (issue 15): login sign-ins for the address throttle, join requests.

-- Which accounts signed in successfully from which address, for the login throttle: every
-- distinct account that did raises the address's failure allowance (libraries, shared NAT).
-- One row per (address, account), stamped with the latest sign-in; pruned with the failures.
CREATE TABLE login_sign_ins (
    ip_key      TEXT    NOT NULL,
    account_key TEXT    NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (ip_key, account_key)
);
CREATE INDEX login_sign_ins_at ON login_sign_ins(at);

-- An account asked to act for an organisation that others already act for. A member accepts
-- it (the organisation's consent); the asking account consented by asking.
CREATE TABLE provider_join_requests (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    PRIMARY KEY (user_id, provider_id)
);

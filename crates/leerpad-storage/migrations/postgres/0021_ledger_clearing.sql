-- The platform's clearing account (payouts on their way to a provider's bank) is a kind of its
-- own: like every account but funding, it never goes below zero.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('learner', 'scheme', 'employer', 'provider', 'clearing', 'funding'));

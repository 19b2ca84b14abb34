-- Delivery by mail: a worker takes a message until next_attempt_at (its lease, or the time of
-- the next try after a failure); after too many failures the message is given up.

ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE outbox ADD COLUMN given_up_at BIGINT;

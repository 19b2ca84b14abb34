-- Profiles carry a version: an edit saves only if nobody saved in between (optimistic
-- locking), so two edits at once give a conflict instead of a lost update.
ALTER TABLE learner_profiles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The programmes whose questions an advisor on duty answers (a JSON array of programme ids;
-- NULL: every question). Copied from their profile each time they come on duty.

ALTER TABLE chat_duty ADD COLUMN programmes TEXT;

-- A programme counts the places it has given, in the same transaction that gives or frees one,
-- so that nothing needs to count its registrations by status (see the PostgreSQL migration for
-- why the window index leaves out the status).

ALTER TABLE advice_programmes ADD COLUMN places_given INTEGER NOT NULL DEFAULT 0
    CHECK (places_given >= 0);
UPDATE advice_programmes SET places_given = (
    SELECT COUNT(*) FROM advice_registrations r
    WHERE r.programme_id = advice_programmes.id AND r.status = 'allocated'
);

DROP INDEX advice_registrations_window;
CREATE INDEX advice_registrations_window ON advice_registrations(programme_id, window_opens);

-- A draw's outcome per registration, written in bulk and applied to the registrations with one
-- statement (a window of 250,000 registrations is drawn in seconds, not minutes).

CREATE TABLE advice_draw_lines (
    programme_id BIGINT  NOT NULL,
    window_opens BIGINT  NOT NULL,
    reference    TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    reserve      BIGINT,
    position     BIGINT,
    PRIMARY KEY (programme_id, window_opens, reference)
);

-- Survey answers of learners who completed a course: one per enrolment and survey (the
-- primary key refuses a second), kept with the offer and provider they rate.
CREATE TABLE survey_answers (
    enrolment_id BIGINT NOT NULL REFERENCES enrolments(id) ON DELETE CASCADE,
    kind         TEXT   NOT NULL CHECK (kind IN ('end', 'outcome')),
    offer_id     BIGINT NOT NULL,
    provider_id  BIGINT NOT NULL,
    learner_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    rating       BIGINT CHECK (rating BETWEEN 1 AND 5),
    recommend    BIGINT,
    working      BIGINT,
    using_skills BIGINT,
    comment      TEXT   NOT NULL,
    at           BIGINT NOT NULL,
    PRIMARY KEY (enrolment_id, kind)
);
CREATE INDEX survey_answers_offer ON survey_answers(offer_id, kind);

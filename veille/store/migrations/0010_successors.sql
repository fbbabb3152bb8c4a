-- Results of the `successors` analysis (veille/analyze/successors.py): accounts that appear as
-- others fall silent and look like them, scored, with the reasons and the posts behind them.

CREATE TABLE successor_candidates (
    run_id          VARCHAR NOT NULL,
    old_actor_id    VARCHAR NOT NULL,
    new_actor_id    VARCHAR NOT NULL,
    platform        VARCHAR NOT NULL,
    old_last_day    DATE NOT NULL,
    new_first_day   DATE NOT NULL,
    gap_days        BIGINT NOT NULL,
    score           DOUBLE NOT NULL,
    reasons         JSON NOT NULL,
    evidence        JSON NOT NULL
);

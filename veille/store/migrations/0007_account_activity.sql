-- Results of the `accounts` analysis: each account's posting rhythm (veille/analyze/account_activity.py).

CREATE TABLE account_activity (
    run_id            VARCHAR NOT NULL,
    actor_id          VARCHAR NOT NULL,
    posts             BIGINT NOT NULL,
    active_days       BIGINT NOT NULL,       -- days with at least one post, in the case's zone
    first_day         DATE NOT NULL,
    last_day          DATE NOT NULL,
    median_gap_days   DOUBLE,                -- between consecutive posting days
    longest_gap_days  BIGINT,
    last_post_id      VARCHAR NOT NULL       -- the evidence for last_day
);

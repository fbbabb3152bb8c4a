-- Results of the `silence` analysis: when each account fell silent, how unusual that is for its
-- own rhythm, and the weeks in which many fell silent at once (veille/analyze/silence.py).

CREATE TABLE silences (
    run_id            VARCHAR NOT NULL,
    actor_id          VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,      -- silent | pause | export ends | too little history
    posts             BIGINT NOT NULL,
    active_days       BIGINT NOT NULL,       -- days with at least one post, in the case's zone
    first_day         DATE NOT NULL,
    last_day          DATE NOT NULL,
    last_post_id      VARCHAR NOT NULL,      -- the evidence for last_day
    last_post_at      TIMESTAMPTZ NOT NULL,
    coverage_end_day  DATE NOT NULL,         -- last day the sources it was read from hold a record
    silence_days      BIGINT NOT NULL,       -- days without its posts after last_day, to coverage_end_day
    median_gap_days   DOUBLE,                -- between consecutive posting days
    longest_gap_days  BIGINT,
    chance            DOUBLE,                -- of a pause at least this long, for its own rhythm
    surprise          DOUBLE,                -- -log10(chance): 2 = one chance in a hundred
    community         INTEGER,               -- in the latest network run, if any
    rank              INTEGER,               -- importance in that run (1 = most important)
    combined          DOUBLE
);

CREATE TABLE silence_waves (
    run_id       VARCHAR NOT NULL,
    week_start   DATE NOT NULL,              -- a Monday, in the case's zone
    week_end     DATE NOT NULL,
    silent       BIGINT NOT NULL,            -- accounts whose last post is that week and that fell silent
    active       BIGINT NOT NULL,            -- accounts with a usable history active that week
    expected     DOUBLE NOT NULL,            -- silent accounts the case's base rate expects
    chance       DOUBLE NOT NULL,            -- binomial tail of `silent` or more
    accounts     JSON,                       -- the silent accounts, most important first
    communities  JSON                        -- how many of them in each community
);

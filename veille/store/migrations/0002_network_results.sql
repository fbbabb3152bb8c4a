-- Results of analyses. Each row carries the run that wrote it (runs.id); re-running an
-- analysis with the same name, version and parameters replaces that run's rows only.

CREATE TABLE actor_metrics (
    run_id          VARCHAR NOT NULL,
    actor_id        VARCHAR NOT NULL,
    rank            INTEGER NOT NULL,        -- 1 = most important by the combined score
    combined        DOUBLE NOT NULL,
    pagerank        DOUBLE NOT NULL,
    betweenness     DOUBLE NOT NULL,
    brokerage       DOUBLE,                  -- share of its ties that cross communities
    in_degree       BIGINT NOT NULL,
    out_degree      BIGINT NOT NULL,
    in_strength     DOUBLE NOT NULL,
    out_strength    DOUBLE NOT NULL,
    community       INTEGER,
    reasons         JSON                     -- sentence + top incoming edges with evidence posts
);

CREATE TABLE communities (
    run_id          VARCHAR NOT NULL,
    community       INTEGER NOT NULL,
    size            INTEGER NOT NULL,
    top_actors      JSON,                    -- actor ids, most central first
    terms           JSON                     -- hashtags or words that set it apart
);

CREATE TABLE reach (
    run_id          VARCHAR NOT NULL,
    actor_id        VARCHAR NOT NULL,        -- the account within reach
    watch_actor_id  VARCHAR NOT NULL,        -- the watchlist account it is nearest to
    hops            INTEGER NOT NULL,
    score           DOUBLE NOT NULL,
    path            JSON,                    -- actor ids from the watched account to it
    evidence        JSON                     -- post ids behind each hop, in path order
);

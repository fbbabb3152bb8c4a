-- The records of a case. Ids hash natural keys (veille.ids); the writer inserts only ids not
-- already present (an anti-join), which is why the record tables declare no PRIMARY KEY:
-- DuckDB's key index made bulk inserts several times slower (see bench/ingest.py).
-- Times are TIMESTAMPTZ in UTC; the offset a source showed is kept beside it in minutes.

CREATE TABLE runs (
    id            VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,          -- ingest | enrich | analysis
    name          VARCHAR NOT NULL,
    version       VARCHAR NOT NULL,
    parameters    JSON,
    code_version  VARCHAR NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,               -- NULL: unfinished (still running, or killed)
    status        VARCHAR NOT NULL,          -- started | done | failed
    counts        JSON
);

CREATE TABLE sources (
    id              VARCHAR PRIMARY KEY,     -- hash of the content's sha256
    path            VARCHAR NOT NULL,        -- as given on the command line (last time read)
    sha256          VARCHAR NOT NULL,
    size            BIGINT NOT NULL,
    reader          VARCHAR NOT NULL,
    reader_version  INTEGER NOT NULL,
    run_id          VARCHAR NOT NULL,        -- the run that last read it
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,             -- NULL: reading was interrupted
    status          VARCHAR NOT NULL,        -- started | done
    n_read          BIGINT NOT NULL DEFAULT 0,
    n_new           BIGINT NOT NULL DEFAULT 0,
    n_present       BIGINT NOT NULL DEFAULT 0,
    n_quarantined   BIGINT NOT NULL DEFAULT 0,
    notes           JSON                      -- what the reader decided (date order, owner...)
);

CREATE TABLE actors (
    id          VARCHAR,
    platform    VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,            -- account | channel | group | outlet
    native_id   VARCHAR,
    handle      VARCHAR,
    name        VARCHAR,                     -- first display name seen; all of them in actor_names
    source_id   VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL
);

CREATE TABLE actor_names (
    id          VARCHAR,         -- hash of actor id + name
    actor_id    VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    source_id   VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL
);

CREATE TABLE posts (
    id                 VARCHAR,
    platform           VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,     -- post | message | article | service
    native_id          VARCHAR,
    author_id          VARCHAR,
    chat_id            VARCHAR,
    posted_at          TIMESTAMPTZ,
    utc_offset_min     INTEGER,
    text               VARCHAR NOT NULL,
    title              VARCHAR,
    url                VARCHAR,
    reply_to_id        VARCHAR,
    forwarded_from_id  VARCHAR,
    quoted_id          VARCHAR,
    edited_at          TIMESTAMPTZ,
    lang_hint          VARCHAR,
    boilerplate        VARCHAR,
    extra              JSON,
    source_id          VARCHAR NOT NULL,
    locator            VARCHAR NOT NULL,
    file               VARCHAR,
    raw                VARCHAR
);

CREATE TABLE interactions (
    id               VARCHAR,
    kind             VARCHAR NOT NULL,       -- mention | reply | forward | retweet | quote | contact
    source_actor_id  VARCHAR NOT NULL,
    target_actor_id  VARCHAR NOT NULL,
    post_id          VARCHAR NOT NULL,       -- the post that shows it: the evidence
    platform         VARCHAR NOT NULL,
    occurred_at      TIMESTAMPTZ,
    source_id        VARCHAR NOT NULL,
    locator          VARCHAR NOT NULL
);

CREATE TABLE media (
    id          VARCHAR,
    post_id     VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,            -- the reference inside the export
    status      VARCHAR NOT NULL,            -- stored | missing
    sha256      VARCHAR,                     -- content address under media/, NULL when missing
    size        BIGINT,
    mime        VARCHAR,
    source_id   VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL
);

CREATE TABLE quarantine (
    id          VARCHAR,         -- hash of source + file + locator + reason
    source_id   VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    file        VARCHAR,
    locator     VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    raw         VARCHAR,
    run_id      VARCHAR NOT NULL
);

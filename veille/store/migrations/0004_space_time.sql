-- Results of the space-time analysis (`veille activity`): daily series, the verdict on each
-- series (blackout, steady, too sparse), migrations between platforms or channels, hotspots.
-- Each row carries its run; the same parameters replace the same run's rows.

CREATE TABLE activity (
    run_id        VARCHAR NOT NULL,
    dimension     VARCHAR NOT NULL,          -- place | country | community | platform | channel | community_platform
    key           VARCHAR NOT NULL,          -- geonames:99072, IQ, 3, telegram, <chat actor id>, 3:twitter
    label         VARCHAR,
    day           DATE NOT NULL,             -- in the case's time zone
    posts         BIGINT NOT NULL,
    accounts      BIGINT NOT NULL,
    interactions  BIGINT NOT NULL
);

CREATE TABLE blackouts (
    run_id         VARCHAR NOT NULL,
    dimension      VARCHAR NOT NULL,
    key            VARCHAR NOT NULL,
    label          VARCHAR,
    status         VARCHAR NOT NULL,         -- blackout | steady | too sparse
    start_day      DATE,
    end_day        DATE,                     -- last day of the drop; NULL while ongoing
    ongoing        BOOLEAN,
    alarm_day      DATE,                     -- when the detector would first have known
    depth          DOUBLE,                   -- 0.9: 90 % fewer posts than expected
    expected       DOUBLE,
    observed       BIGINT,
    confidence     DOUBLE,
    baseline_mean  DOUBLE,                   -- posts per day before
    reason         VARCHAR,
    comparison     JSON,                     -- series that did not drop over the same days
    evidence       JSON                      -- last posts before and first posts after the start
);

CREATE TABLE migrations (
    run_id           VARCHAR NOT NULL,
    source_dimension VARCHAR NOT NULL,
    source_key       VARCHAR NOT NULL,
    source_label     VARCHAR,
    target_dimension VARCHAR NOT NULL,
    target_key       VARCHAR NOT NULL,
    target_label     VARCHAR,
    drop_day         DATE NOT NULL,
    rise_day         DATE NOT NULL,
    lag_days         INTEGER NOT NULL,
    shared_accounts  INTEGER NOT NULL,       -- people active on the source before and the target after
    links            INTEGER NOT NULL,       -- posts on the source linking to the target
    forwards         INTEGER NOT NULL,       -- posts on the target forwarded from source accounts
    confidence       DOUBLE NOT NULL,
    evidence         JSON                    -- post ids: links, then forwards, then first posts
);

CREATE TABLE hotspots (
    run_id      VARCHAR NOT NULL,
    place_id    VARCHAR NOT NULL,
    label       VARCHAR,
    start_day   DATE NOT NULL,
    end_day     DATE NOT NULL,
    posts       BIGINT NOT NULL,
    expected    DOUBLE NOT NULL,
    ratio       DOUBLE NOT NULL,
    evidence    JSON
);

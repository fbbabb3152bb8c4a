-- Hotspots by people, not posts (`veille activity`, analysis version 3): a hotspot is a place
-- named in posts (kind `about`) or where their authors are (kind `from`: profile location,
-- photo GPS) by far more distinct accounts than usual (veille/analyze/place_hotspots.py).
-- Rows of earlier runs counted posts of both kinds together: they are kept as kind `mixed`,
-- with no account figures, until `veille activity` runs again.

CREATE TABLE hotspots_by_people (
    run_id            VARCHAR NOT NULL,
    place_id          VARCHAR NOT NULL,
    label             VARCHAR,
    kind              VARCHAR NOT NULL,      -- about | from | mixed (rows of runs before 0011)
    start_day         DATE NOT NULL,
    end_day           DATE NOT NULL,
    accounts          BIGINT,                -- distinct people over the days (same_as merged)
    peak_accounts     BIGINT,                -- the most in one window: what was judged
    expected_accounts DOUBLE,                -- usual in a window before the peak one
    ratio             DOUBLE NOT NULL,       -- peak / expected (posts in rows before 0011)
    posts             BIGINT NOT NULL,       -- over the days
    expected_posts    DOUBLE,                -- usual in a window before the peak one
    communities       BIGINT,                -- of the accounts, in the run's network run
    evidence          JSON                   -- post ids: each account's first post of the days
);

INSERT INTO hotspots_by_people
SELECT run_id, place_id, label, 'mixed', start_day, end_day, NULL, NULL, NULL, ratio, posts,
       NULL, NULL, evidence
FROM hotspots;

DROP TABLE hotspots;
ALTER TABLE hotspots_by_people RENAME TO hotspots;

-- Coverage before judgement (`veille activity`, analysis version 2): what each source
-- collected, and for each series' verdict the days its sources cover, the first day it could
-- be judged and the stretches inside without data (veille/analyze/coverage.py).

ALTER TABLE blackouts ADD COLUMN covered_from DATE;   -- first day its sources covered it
ALTER TABLE blackouts ADD COLUMN covered_to DATE;     -- last day (after it: the export ended)
ALTER TABLE blackouts ADD COLUMN judged_from DATE;    -- first day with a baseline to judge by
ALTER TABLE blackouts ADD COLUMN no_data JSON;        -- [{"from", "to", "why"}] inside the coverage

CREATE TABLE source_coverage (
    run_id        VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    path          VARCHAR,
    rule          VARCHAR NOT NULL,          -- collection (several chats/authors) | one voice | few records
    records       BIGINT NOT NULL,           -- timed posts, service lines aside
    first_day     DATE NOT NULL,             -- of its first record, in the case's zone
    last_day      DATE NOT NULL,
    covered_from  DATE NOT NULL,             -- after a thin start (= first_day without one)
    gaps          JSON                       -- [{"from", "to", "days"}]: collection gaps
);

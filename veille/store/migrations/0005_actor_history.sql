-- Accounts as they were: every handle, name and profile an account showed, with when and where.
-- `actors` keeps one row per account (the first state seen); a reader yields the account again
-- whenever its state differs, and each state goes in here once per source.

CREATE TABLE actor_sightings (
    id           VARCHAR,        -- hash of source + actor + every state column below
    actor_id     VARCHAR NOT NULL,
    platform     VARCHAR NOT NULL,
    native_id    VARCHAR,
    handle       VARCHAR,        -- without the @
    name         VARCHAR,        -- display name
    description  VARCHAR,        -- profile text
    location     VARCHAR,        -- profile location, as typed
    followers    BIGINT,         -- follower count then
    seen_at      TIMESTAMPTZ,    -- the post that showed this state (the first in the source's order)
    source_id    VARCHAR NOT NULL,
    locator      VARCHAR NOT NULL
);

-- Cases made before this migration: their accounts' first states and every stored name, with
-- no time (sources did not keep it). Ids are those the writer gives the same state.
INSERT INTO actor_sightings
WITH states AS (
    SELECT id AS actor_id, platform, native_id, handle, name, source_id, locator FROM actors
    UNION
    SELECT n.actor_id, a.platform, a.native_id, a.handle, n.name, n.source_id, n.locator
    FROM actor_names n JOIN actors a ON a.id = n.actor_id
    WHERE n.name IS DISTINCT FROM a.name
)
SELECT left(md5(concat_ws(chr(31), 'actor_sighting', source_id, actor_id, coalesce(native_id, ''),
                          coalesce(handle, ''), coalesce(name, ''), '', '', '')), 20),
       actor_id, platform, native_id, handle, name, NULL, NULL, NULL, NULL, source_id, locator
FROM states
QUALIFY row_number() OVER (PARTITION BY actor_id, source_id, native_id, handle, name
                           ORDER BY locator) = 1;

-- One row per account and state, all sources together: when it was first and last seen, where
-- first, and in how many sources. `veille query CASE "SELECT * FROM actor_history WHERE ..."`.
CREATE VIEW actor_history AS
SELECT s.actor_id, any_value(s.platform) AS platform, s.native_id, s.handle, s.name,
       s.description, s.location, s.followers,
       min(s.seen_at) AS first_seen, max(s.seen_at) AS last_seen,
       arg_min(s.source_id, (s.seen_at IS NULL, s.seen_at, s.source_id, s.locator))
           AS first_source_id,
       arg_min(s.locator, (s.seen_at IS NULL, s.seen_at, s.source_id, s.locator))
           AS first_locator,
       count(DISTINCT s.source_id) AS sources
FROM actor_sightings s
GROUP BY s.actor_id, s.native_id, s.handle, s.name, s.description, s.location, s.followers;

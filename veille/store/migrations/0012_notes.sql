-- The analyst's own writes from the workbench: notes and tags on posts and accounts, and
-- watchlists of accounts and keywords. Each row says who wrote it and when; nothing is changed
-- in place (a watchlist entry taken off keeps its row, with removed_at).

CREATE TABLE notes (
    id           VARCHAR NOT NULL,          -- random
    target_kind  VARCHAR NOT NULL,          -- post | account
    target_id    VARCHAR NOT NULL,
    text         VARCHAR NOT NULL,
    tags         JSON NOT NULL,             -- ["to check", "media cell"]
    author       VARCHAR NOT NULL,
    written_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE watchlist_entries (
    id           VARCHAR NOT NULL,          -- random
    watchlist    VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,          -- account | keyword
    value        VARCHAR NOT NULL,          -- platform:handle or an actor id; words, any script
    added_by     VARCHAR NOT NULL,
    added_at     TIMESTAMPTZ NOT NULL,
    removed_at   TIMESTAMPTZ
);

-- When someone last looked at a watchlist's hits: what came in after is new to them.
CREATE TABLE watchlist_looks (
    watchlist    VARCHAR NOT NULL,
    looked_by    VARCHAR NOT NULL,
    looked_at    TIMESTAMPTZ NOT NULL
);

-- Facts: what enrichers found in stored records. Every row carries the run that wrote it
-- (runs.id, kind 'enrich'), and text facts carry character offsets (0-based, end exclusive,
-- in Python code points) into posts.text or posts.title, so the evidence can be highlighted.

-- Which records each enricher has looked at, found something or not: a second `veille enrich`
-- skips them; `--redo` deletes the enricher's facts and these rows, then starts again.
CREATE TABLE enriched (
    enricher    VARCHAR NOT NULL,
    record_id   VARCHAR NOT NULL,            -- a post id, or a media id for the media enricher
    run_id      VARCHAR NOT NULL
);

CREATE TABLE post_languages (
    run_id      VARCHAR NOT NULL,
    post_id     VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,            -- text | title
    part        INTEGER NOT NULL,            -- 0: the whole field; 1, 2...: its paragraphs
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    lang        VARCHAR NOT NULL,            -- ISO 639-1 where one exists, or 'unknown'
    confidence  DOUBLE NOT NULL
);

-- The entities veille knows: the shipped alias table, the case's own rows, and clusters of
-- names that statistical NER found and no alias names.
CREATE TABLE entities (
    id          VARCHAR NOT NULL,            -- org:islamic-state, ner:person:4f2a...
    type        VARCHAR NOT NULL,            -- armed_group | agency | outlet | platform | person | organisation | place
    name        VARCHAR NOT NULL,
    origin      VARCHAR NOT NULL,            -- alias table | case | ner
    aliases     JSON,                        -- the names it is known by
    run_id      VARCHAR NOT NULL
);

CREATE TABLE post_entities (
    run_id      VARCHAR NOT NULL,
    post_id     VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    surface     VARCHAR NOT NULL,            -- as written
    entity_id   VARCHAR NOT NULL,
    entity_type VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,            -- alias | ner
    label       VARCHAR,                     -- the NER label (PER, ORG, LOC...) when method = ner
    name_key    VARCHAR                      -- the normalised name NER clusters are built on
);

CREATE TABLE post_places (
    run_id       VARCHAR NOT NULL,
    post_id      VARCHAR NOT NULL,
    origin       VARCHAR NOT NULL,           -- text | profile (the author's location field) | exif
    field        VARCHAR NOT NULL,           -- text | title | location | media
    start_char   INTEGER,                    -- NULL for places read from a photo
    end_char     INTEGER,
    surface      VARCHAR,
    place_id     VARCHAR NOT NULL,           -- geonames:99072, country:IQ, region:levant
    geonameid    BIGINT,
    name         VARCHAR NOT NULL,
    country_code VARCHAR,
    level        VARCHAR NOT NULL,           -- city | region | country | continent
    latitude     DOUBLE,
    longitude    DOUBLE,
    confidence   DOUBLE NOT NULL,
    reason       VARCHAR NOT NULL,           -- why this place and not another of the same name
    media_id     VARCHAR                     -- the photo, when origin = exif
);

CREATE TABLE post_links (
    run_id      VARCHAR NOT NULL,
    post_id     VARCHAR NOT NULL,
    field       VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,            -- url | hashtag | mention | telegram | whatsapp | email | phone
    value       VARCHAR NOT NULL,            -- as written
    normalized  VARCHAR NOT NULL,
    domain      VARCHAR,
    target      VARCHAR                      -- the channel or invite a telegram/whatsapp link points at
);

CREATE TABLE media_facts (
    run_id        VARCHAR NOT NULL,
    media_id      VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    width         INTEGER,
    height        INTEGER,
    taken_at      VARCHAR,                   -- the camera's clock, no zone: "2008-10-22T16:28:39"
    camera_make   VARCHAR,
    camera_model  VARCHAR,
    latitude      DOUBLE,
    longitude     DOUBLE,
    altitude_m    DOUBLE,
    gps_time      VARCHAR,                   -- UTC, from the GPS stamps
    phash         VARCHAR,
    pdq           VARCHAR,
    pdq_quality   INTEGER,
    problems      JSON
);

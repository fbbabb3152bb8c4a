"""Write the demo scenario: real export formats carrying a planted story, plus its ground truth.

``write_scenario(folder, seed=7, scale=1.0)`` writes, under ``folder``::

    twitter/tweets.csv                                    scraped tweets table (UTC, month-first):
                                                          thin start, a gap, suspensions
    telegram/DataExport_2017-03-01/result.json            full-account JSON export (+ photos)
    telegram/ChatExport_2017-03-01/messages*.html         one channel as an HTML export (+ photos/)
    whatsapp/WhatsApp Chat with Raqqa Office Team.txt     Android, day-first 24 h, UTC+03:00
    whatsapp/WhatsApp Chat - Brothers EU.txt              iOS en-US, Europe/Brussels, no media
    whatsapp/WhatsApp Chat - Brothers EU.zip              the same chat exported with media
    news/*.html, news/*.txt                               articles in French, English and Arabic
    ground_truth.json                                     what was planted (returned too)

The same seed and scale always give byte-identical files (only ``random.Random(seed)``, no
clock, no set iteration, zip members stored with fixed dates). ``scale`` multiplies every
posting rate: 1.0 gives about 30,000 posts, 0.05 about 1,600 (the thin start's few dozen tweets
and the planted first and last tweets of new and suspended accounts are there at any scale).

Ground truth keys:

- ``seed``, ``scale``: the arguments.
- ``period``: ``start`` and ``end`` (inclusive ISO dates: the real volume), ``series_start``
  (the Twitter collection's first day, its thin start), ``days`` (of the series, from
  ``series_start``), ``day_basis`` (series count UTC days), ``weekly_cycle`` (activity factor
  per weekday: Fridays 0.5).
- ``communities``: key -> ``label``, ``home_cities``, ``languages``, ``accounts`` (ids),
  ``hubs`` and ``brokers`` (ids).
- ``accounts``: one object per account: ``id``, ``name`` (display name, the same on every
  platform), ``community``, ``home_city``, ``language``, ``kind`` (account, channel, group),
  ``role`` (hub, broker, member, venue), ``platforms``, ``keys`` (what each export shows:
  ``twitter`` handle, Telegram ``from_id`` and ``telegram_username``, ``telegram_html``
  (``name:<display name>``, all an HTML export shows), ``whatsapp`` name or phone number),
  ``actor_ids`` (``veille.ingest.common.identity.actor_id`` of those keys), ``migrates``,
  ``turnover`` (suspended, successor, decoy (kind), newcomer, profile place, mentioned only, or
  null), ``posts`` per venue and ``received_interactions``.
- ``central_accounts``: the planted hubs ranked by interactions received (rank 1 first).
- ``brokers``: accounts planted to link communities, with the communities they reach and
  their number of cross-community interactions.
- ``interactions``: planted edges: ``total``, ``within_community``, ``share_within``,
  ``by_kind``, ``by_platform`` and the community ``matrix`` (source -> target -> count).
- ``places``: city -> names per language, coordinates, number of posts about it. Every post
  names at most one city (its place) in its language's spelling; per-day counts are in
  ``series``.
- ``blackouts``: ``series``, ``start``, ``depth`` (share of activity lost), ``end`` (null: it
  lasts to the end) and ``observed`` mean posts per day before/after and their ratio.
- ``moves``: ``from`` (twitter), ``to`` (``telegram:<group username>``), ``start``,
  ``depth``, ``announce_from``, ``link``, ``announcement_tweets``, ``accounts`` (ids),
  ``twitter_handles``, ``names``, ``joined_group_at``, ``series`` and ``observed``.
- ``controls``: series with no planted change, with the same observed figures.
- ``series``: key -> posts per day from ``period.series_start`` to the end. Keys: ``total``,
  ``place:<city>``, ``community:<key>``, ``platform:<twitter|telegram|whatsapp>``,
  ``venue:<venue>``, ``migrants:<twitter|telegram>``. The iOS chat, written twice, counts once.
- ``collection``: the Twitter collection: ``first_day``, ``last_day``, ``thin_start`` (``from``,
  ``to``, ``posts``, ``accounts``, ``real_volume_from``) and ``gaps`` (``from``, ``to``,
  ``days``, ``posts_inside``: 0), days the collector was down.
- ``silences``: every planted silence of 30+ days to the end of the Twitter data: account
  (``id``, ``handle``, ``name``, ``actor_id``, ``community``), ``why`` ("suspended in a wave",
  "suspended" alone, "moved to Telegram"), ``last_post_id`` (the id veille gives the last tweet),
  ``last_post_at``, ``last_day``, ``week`` (its Monday), ``posts``, ``active_days``,
  ``silent_days``.
- ``silence_waves``: the weeks several planted silences fell in: ``week_start``, ``week_end``,
  ``why`` (suspensions, or the move to Telegram), ``accounts`` (ids), ``silent``.
- ``successors``: planted pairs: ``old`` and ``new`` accounts, ``old_last_post_at``,
  ``new_first_post_at``, ``gap_days``, ``same_name``, ``same_profile``, ``shared_audience``
  (accounts that addressed both), ``shared_links``.
- ``decoys``: new accounts that are nobody's successor: the account, ``kind`` ("unrelated" or
  "look-alike"), ``not_successor_of`` (the suspended account), ``first_post_at``.
- ``newcomers``: accounts opened during the period, with their ``first_day``.
- ``profile_places``: accounts whose profile location is on their every post: the account,
  ``location``, ``posts``, ``posts_with_location``, ``share``, ``first_day``.
- ``mentioned_only``: Twitter accounts addressed but never posting: the account,
  ``addressed`` (by kind) and ``by`` (how many accounts).
- ``twitter_weekly_volume``: tweets per week (Monday) from the period's start.
- ``news``: per article: ``file``, ``lang``, ``outlet``, ``url``, ``title``, ``author``,
  ``published``, ``aliases`` and ``places`` named in title and body, ``boilerplate_places``
  (named only in the "read also" teaser), ``paragraphs``.
- ``files``: relative path -> ``format``, ``reader`` (the veille reader meant for it),
  ``ingest`` (the path to hand that reader: the export folder for Telegram, else the file;
  the zip is handed over extracted, like any zip), ``records`` (well-formed posts), ``service``
  (service/system messages), ``bad``, ``interactions``, ``zone`` (how to read its naive times;
  null when they carry offsets), ``media`` counts by status, plus format details.
- ``media``: ``counts`` by status and the ``files`` list (file, name, status).
- ``bad_records``: every record planted broken: ``file``, ``locator``, ``reason``.
- ``expected_counts``: ``posts`` (distinct posts, news included), ``posts_by_format``,
  ``posts_in_files`` (counting the iOS chat twice), ``files_by_format``,
  ``service_messages``, ``rejects``, ``interactions``, ``accounts``,
  ``personal_chat_messages``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from veille.demo.activity import ANDROID, IOS, TWITTER, simulate
from veille.demo.cast import ANDROID_CHAT, build_cast
from veille.demo.news_articles import ARTICLES
from veille.demo.output import FileReport, write_bytes
from veille.demo.truth import ground_truth
from veille.demo.turnover import plant_turnover
from veille.demo.write_news import article_truth, write_news
from veille.demo.write_telegram_html import MESSAGES_PER_PAGE, write_telegram_html
from veille.demo.write_telegram_json import write_telegram_json
from veille.demo.write_tweets_csv import write_tweets_csv
from veille.demo.write_whatsapp import write_android, write_ios

__all__ = ["FILES", "write_scenario"]

FILES = {
    "tweets": "twitter/tweets.csv",
    "telegram_json": "telegram/DataExport_2017-03-01/result.json",
    "telegram_html": "telegram/ChatExport_2017-03-01",
    "android": "whatsapp/WhatsApp Chat with Raqqa Office Team.txt",
    "ios_txt": "whatsapp/WhatsApp Chat - Brothers EU.txt",
    "ios_zip": "whatsapp/WhatsApp Chat - Brothers EU.zip",
    "truth": "ground_truth.json",
}


def _rng(seed: int, part: str) -> random.Random:
    # One stream per part, so changing one writer does not reshuffle the others.
    return random.Random(f"veille-demo:{seed}:{part}")


def write_scenario(folder: Path, seed: int = 7, scale: float = 1.0) -> dict[str, Any]:
    """Write every file of the scenario into ``folder`` and return its ground truth."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cast = build_cast(_rng(seed, "cast"))
    plant_turnover(_rng(seed, "turnover"), cast)
    story = simulate(_rng(seed, "story"), cast, scale)
    venues = story.venues
    reports: list[FileReport] = [
        write_tweets_csv(folder, FILES["tweets"], venues.get(TWITTER, [])),
        write_telegram_json(folder, FILES["telegram_json"], story, _rng(seed, "telegram-json")),
    ]
    channel = next(a for a in cast.accounts if a.telegram_export == "html")
    # tdesktop starts a new page every 1,000 messages; smaller demos use smaller pages so the
    # pagination is always there to read.
    per_page = MESSAGES_PER_PAGE if scale >= 1 else max(25, round(MESSAGES_PER_PAGE * scale))
    reports.append(
        write_telegram_html(
            folder,
            FILES["telegram_html"],
            channel,
            venues.get(f"telegram:{channel.telegram_username}", []),
            _rng(seed, "telegram-html"),
            per_page,
        )
    )
    android_owner = next(
        a for a in cast.accounts if a.whatsapp_chat == ANDROID_CHAT and a.role == "hub"
    )
    reports.append(write_android(folder, FILES["android"], venues.get(ANDROID, []), android_owner))
    reports.extend(
        write_ios(
            folder,
            FILES["ios_txt"],
            FILES["ios_zip"],
            venues.get(IOS, []),
            cast.owner,
            _rng(seed, "whatsapp"),
        )
    )
    reports.extend(write_news(folder))
    truth = ground_truth(story, reports, [article_truth(a) for a in ARTICLES], seed, scale)
    text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    write_bytes(folder / FILES["truth"], text.encode("utf-8"))
    return truth

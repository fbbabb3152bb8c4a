"""Plain-language sentences for the report's findings, for readers who are not programmers.

Internal helper of ``veille.report.html_report``: not a stable API. Sentences are plain text
(case strings included as they are); the caller escapes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from veille.report.html_parts import fmt_date, fmt_int, fmt_num, fmt_pct, parse_day, plain_list

__all__ = [
    "blackout_days",
    "blackout_sentence",
    "confidence_words",
    "hotspot_label",
    "hotspot_sentence",
    "move_sentence",
    "subject",
]

_SUBJECT = {
    "place": "Activity in {}",
    "country": "Activity in {}",
    "platform": "Activity on {}",
    "channel": "Activity of channel {}",
    "community": "Activity of community {}",
    "community_platform": "Activity of {}",
}


def subject(dimension: object, label: object) -> str:
    """Who a series is about: "Activity in Mosul", "Activity on Twitter"..."""
    text = str(label)
    if str(dimension).startswith("community") and text.startswith("community "):
        return f"Activity of {text}"  # veille labels communities "community 3" already
    return _SUBJECT.get(str(dimension), "Activity of {}").format(text)


def confidence_words(value: object) -> str:
    """A 0-1 confidence as "high (93 %)": words first, as a bare percentage reads as a
    probability."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "unknown"
    word = "high" if value >= 0.8 else "medium" if value >= 0.5 else "low"
    return f"{word} ({fmt_pct(value)})"


def blackout_days(blackout: Mapping[str, Any], last_day: date | None) -> int | None:
    """Days from start to end, both included; to ``last_day`` (the data's end) if ongoing."""
    start = parse_day(blackout.get("start"))
    end = parse_day(blackout.get("end")) or last_day
    if start is None or end is None or end < start:
        return None
    return (end - start).days + 1


def blackout_sentence(blackout: Mapping[str, Any], last_day: date | None) -> str:
    """One blackout in words: "Activity in Mosul fell by 88 % from 14 Nov 2016 and stayed low
    for 21 days; Raqqa and Telegram did not fall."""
    who = subject(blackout.get("dimension"), blackout.get("label"))
    start = fmt_date(blackout.get("start"))
    if blackout.get("status") == "too sparse":
        return (
            f"{who} seemed to stop from {start}, but there were too few posts before to tell "
            "a blackout from ordinary quiet days."
        )
    days = blackout_days(blackout, last_day)
    text = f"{who} fell by {fmt_pct(blackout.get('depth'))} from {start}"
    if blackout.get("ongoing") or blackout.get("end") is None:
        text += " and is still low" + (f" ({days} days so far)" if days else "")
    elif days:
        text += f" and stayed low for {days} day{'s' if days != 1 else ''}"
    others = [str(label) for label in blackout.get("comparison") or []]
    if others:
        text += f"; {plain_list(others)} did not fall"
    else:  # nothing to tell a blackout from a change in what was collected
        text += "; no comparable series covered those days, so a collection change is not ruled out"
    return text + "."


def move_sentence(move: Mapping[str, Any]) -> str:
    """One move in words: "From 3 Dec 2016, activity moved from Twitter to Telegram: ..."."""
    source, target = move.get("source_label"), move.get("target_label")
    text = f"From {fmt_date(move.get('start'))}, activity moved from {source} to {target}"
    lag = move.get("lag_days")
    if isinstance(lag, int) and not isinstance(lag, bool):
        if lag == 0:
            text += f": {target} rose the same day {source} fell"
        elif lag > 0:
            text += f": {target} rose {lag} day{'s' if lag != 1 else ''} after {source} fell"
        else:
            text += f": {target} rose {-lag} day{'s' if lag != -1 else ''} before {source} fell"
    facts = [
        f"{fmt_int(move.get('shared_accounts'))} accounts posted on both",
        f"{fmt_int(move.get('links'))} posts linked from one to the other",
        f"{fmt_int(move.get('forwards'))} were forwarded",
    ]
    return f"{text}. {plain_list(facts)}."


def hotspot_label(hotspot: Mapping[str, Any]) -> str:
    """The hotspot's place: ``place``, else ``label``."""
    return str(hotspot.get("place") or hotspot.get("label") or "?")


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def hotspot_sentence(hotspot: Mapping[str, Any]) -> str:
    """One hotspot in words: "Raqqa: 14 accounts named it from 10 Dec 2016 to 16 Dec 2016, up
    to 12 in 7 days where about 3 were usual (×4.0); 412 posts, from 2 communities."."""
    where = hotspot_label(hotspot)
    days = f"from {fmt_date(hotspot.get('start'))} to {fmt_date(hotspot.get('end'))}"
    posts = fmt_int(hotspot.get("posts"))
    accounts = _count(hotspot.get("accounts"))
    if hotspot.get("kind") not in ("about", "from") or accounts is None:
        return (
            f"{where}: {posts} posts {days}, counted before hotspots were counted in people "
            "(places named and profile locations together): run veille activity again."
        )
    did = "named it" if hotspot.get("kind") == "about" else "posted from there"
    text = f"{where}: {fmt_int(accounts)} account{'s' if accounts != 1 else ''} {did} {days}"
    peak, usual = _count(hotspot.get("peak_accounts")), hotspot.get("expected_accounts")
    if peak is not None and isinstance(usual, int | float) and not isinstance(usual, bool):
        text += (
            f", up to {fmt_int(peak)} in {fmt_int(hotspot.get('window_days'))} days where about "
            f"{fmt_num(usual)} were usual"
        )
        if usual > 0:
            text += f" (×{fmt_num(peak / usual)})"
    text += f"; {posts} posts"
    communities = _count(hotspot.get("communities"))
    if communities:
        text += f", from {fmt_int(communities)} communit{'ies' if communities != 1 else 'y'}"
    return text + "."

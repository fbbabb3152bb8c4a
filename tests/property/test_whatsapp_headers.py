"""Property tests of the WhatsApp header grammar: any locale's layout, digits and marks parse the
same moment, and a header never swallows the text after it."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.ingest.whatsapp.lines import HEADER, date_parts, header_date, time_parts

MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
# Digit zeros of scripts phones write dates in: ASCII, Arabic-Indic, Extended (Persian), Thai.
ZEROS = ("0", "\u0660", "\u06f0", "\u0e50")


def digits(text: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(char)) if char.isdigit() else char for char in text)


@st.composite
def headers(draw: st.DrawFn) -> tuple[str, datetime, bool]:
    """A header line, the local moment it says, and whether it is written day-first."""
    moment = draw(st.datetimes(datetime(2009, 1, 1), datetime(2068, 12, 31))).replace(microsecond=0)
    day_first = draw(st.booleans())
    separator = draw(st.sampled_from("/.-"))
    year = f"{moment.year}" if draw(st.booleans()) else f"{moment.year % 100:02}"
    pad = draw(st.booleans())
    day = f"{moment.day:02}" if pad else str(moment.day)
    month = f"{moment.month:02}" if pad else str(moment.month)
    parts = [day, month] if day_first else [month, day]
    date = separator.join([*parts, year])
    seconds = draw(st.booleans())
    twelve = draw(st.sampled_from([None, "AM/PM", "a. m.", "arabic"]))
    hour = moment.hour
    if twelve is not None:
        hour = hour % 12 or 12
    clock = f"{hour}:{moment.minute:02}" + (f":{moment.second:02}" if seconds else "")
    if twelve == "AM/PM":
        clock += draw(st.sampled_from([" ", "\u202f", "\u00a0"])) + (
            "PM" if moment.hour >= 12 else "AM"
        )
    elif twelve == "a. m.":
        clock += "\u00a0" + ("p.\u00a0m." if moment.hour >= 12 else "a.\u00a0m.")
    elif twelve == "arabic":
        clock += " " + ("\u0645" if moment.hour >= 12 else "\u0635")
    zero = draw(st.sampled_from(ZEROS))
    date, clock = digits(date, zero), digits(clock, zero)
    comma = draw(st.sampled_from([", ", "\u060c ", " ", " à "]))
    ios = draw(st.booleans())
    text = f"[{date}{comma}{clock}] " if ios else f"{date}{comma}{clock} - "
    # Direction marks around any separator: not inside a number or a word (AM, à), nor in the
    # closing "] " / " - ".
    closing = 2 if ios else 3
    cuttable = [
        index
        for index in range(len(text) - closing + 1)
        if not (index and text[index - 1].isdigit() and text[index].isdigit())
        and not (index and (text[index - 1].isalpha() or text[index].isalpha()))
        and not (index and text[index - 1] == "." and text[index - 2].isalpha())
    ]
    for index in sorted(draw(st.lists(st.sampled_from(cuttable), max_size=6)), reverse=True):
        text = text[:index] + draw(st.sampled_from(MARKS)) + text[index:]
    return text, moment, day_first


@settings(max_examples=400, deadline=None)
@given(headers(), st.text(max_size=30).filter(lambda text: "\n" not in text))
def test_any_header_parses_to_its_moment(header: tuple[str, datetime, bool], body: str) -> None:
    text, moment, day_first = header
    line = text + "Ann: " + body
    match = HEADER.match(line)
    assert match is not None, line
    assert line[match.end() :] == "Ann: " + body
    year, month, day = date_parts(header_date(match), day_first)
    assert (year, month, day) == (moment.year, moment.month, moment.day)
    hour, minute, second = time_parts(match)
    assert (hour, minute) == (moment.hour, moment.minute)
    assert second in (0, moment.second)


@given(st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=40))
def test_text_without_digits_is_never_a_header(text: str) -> None:
    assert HEADER.match(text) is None


@given(headers())
def test_header_date_is_ascii_and_mark_free(header: tuple[str, datetime, bool]) -> None:
    match = HEADER.match(header[0] + "x")
    assert match is not None
    date = header_date(match)
    assert date.isascii()
    assert all(char.isdigit() or char in "./-" for char in date)

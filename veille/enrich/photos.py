"""What a photo file says about itself: size, EXIF date and camera, GPS position, visual hashes.

Photos come from hostile sources, so nothing here trusts the file. Only common web and camera
formats are opened (never EPS or other formats Pillow hands to external programs); the pixel
count is checked before decoding; EXIF values are type-checked and range-checked one by one; and
every fault becomes a plain-words entry in ``PhotoFacts.problems`` instead of an exception.

Hashes are computed on the picture as it is displayed (EXIF orientation applied), shrunk to at
most 512 pixels a side: what a messaging app shows and re-encodes, and 40 ms instead of 1.7 s
for a 12-megapixel JPEG. PDQ implementations already differ in how they downscale
(facebook/ThreatExchange#929), so other tools' hashes of the same file may differ from these by
a few bits, well inside PDQ's match threshold of 31.
"""

from __future__ import annotations

import math
import re
import struct
import unicodedata
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import imagehash
import numpy as np
import pdqhash
from PIL import ExifTags, Image, UnidentifiedImageError
from PIL.TiffImagePlugin import IFDRational

__all__ = ["MAX_PIXELS", "VERSION", "PhotoFacts", "hash_distance", "read_photo"]

VERSION: int = 1
MAX_PIXELS = 50_000_000  # 48-megapixel phone photos pass; a 300 MB RGB decode is the most we allow
HASH_SIDE = 512
TEXT_LIMIT = 128  # longest make, model or date string kept; EXIF text has no length limit
_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP")
# What Pillow raises on damaged files: its own fuzz tests expect OSError (UnidentifiedImageError
# included), SyntaxError, ValueError and NotImplementedError; its header parsers also let EOFError
# and struct.error through. DecompressionBombError is its own size check, at twice its limit.
_PILLOW_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    NotImplementedError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
)
# EXIF Orientation 2-8, as Pillow's ImageOps.exif_transpose maps it; 5-8 swap width and height.
_ORIENT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_DATETIME = re.compile(r"(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d):(\d\d):(\d\d)")
_EXIF_DATE = re.compile(r"(\d{4})[:-](\d\d)[:-](\d\d)")
_HEX = frozenset("0123456789abcdefABCDEF")
_GPS = ExifTags.GPS


@dataclass(frozen=True, slots=True)
class PhotoFacts:
    width: int | None  # as displayed: EXIF orientation 5-8 swaps the stored sides
    height: int | None
    taken_at: str | None  # DateTimeOriginal (else DateTime), ISO, camera-local, no zone
    camera_make: str | None
    camera_model: str | None
    latitude: float | None  # WGS84 decimal degrees, signed by the Ref tags; None unless valid
    longitude: float | None
    altitude_m: float | None
    gps_time: str | None  # GPSDateStamp + GPSTimeStamp as ISO UTC, "...Z", when both valid
    phash: str | None  # imagehash.phash, 16 hex digits
    pdq: str | None  # PDQ, 64 hex digits, most significant bit first (ThreatExchange's order)
    pdq_quality: int | None  # 0-100; ThreatExchange ignores hashes below 50 when matching
    problems: tuple[str, ...]  # what was wrong, in plain words, in the order found


@dataclass(frozen=True, slots=True)
class _Hashes:
    phash: str | None = None
    pdq: str | None = None
    pdq_quality: int | None = None


def read_photo(path: Path) -> PhotoFacts:
    """The facts of one photo file; bad image data is described in ``problems``, never raised.

    Raises OSError only when the file cannot be opened at all (missing, a directory, no access).
    Not thread-safe: catching Pillow's warnings swaps the process-wide warning filters.
    """
    problems: list[str] = []
    with path.open("rb") as handle:
        return _read(handle, problems)


def hash_distance(a: str, b: str) -> int:
    """Hamming distance between two hashes written as hex strings of the same length."""
    if len(a) != len(b):
        raise ValueError(f"hashes of different lengths: {len(a)} and {len(b)} hex digits")
    if not (_HEX.issuperset(a) and _HEX.issuperset(b)):
        raise ValueError("hashes must be written in hex digits only")
    return (int(a or "0", 16) ^ int(b or "0", 16)).bit_count()


def _read(handle: BinaryIO, problems: list[str]) -> PhotoFacts:
    image = _open(handle, problems)
    if image is None:
        return _facts(None, None, {}, {}, _Hashes(), problems)
    with image:
        main, sub, gps = _exif(image, problems)
        orientation = main.get(ExifTags.Base.Orientation)
        transpose = _ORIENT.get(orientation) if isinstance(orientation, int) else None
        width, height = image.size
        if width * height > MAX_PIXELS:
            problems.append(
                f"image too large to decode: {width}x{height} pixels (limit {MAX_PIXELS:,})"
            )
            hashes = _Hashes()
        else:
            hashes = _hashes(image, transpose, problems)
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        return _facts(width, height, main | sub, gps, hashes, problems)


def _open(handle: BinaryIO, problems: list[str]) -> Image.Image | None:
    with _pillow_warnings(problems):
        try:
            return Image.open(handle, formats=_FORMATS)
        except Image.DecompressionBombError as error:
            problems.append(f"image too large to decode: {_short(error)}")
        except UnidentifiedImageError:  # its message is only the file's name
            problems.append(f"not an image veille reads ({', '.join(_FORMATS)})")
        except _PILLOW_ERRORS as error:
            problems.append(f"not an image veille reads: {_short(error)}")
    return None


@contextmanager
def _pillow_warnings(problems: list[str]) -> Iterator[None]:
    # Pillow warns (not raises) about corrupt EXIF and odd palettes; under pytest's
    # filterwarnings=error that would be an exception, and either way it is a fact about the file.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        problem = f"Pillow warning: {_short(warning.message)}"
        if problem not in problems:
            problems.append(problem)


def _exif(
    image: Image.Image, problems: list[str]
) -> tuple[dict[int, Any], dict[int, Any], dict[int, Any]]:
    """The main, Exif and GPS directories of the EXIF block, empty where unreadable."""
    main: dict[int, Any] = {}
    sub: dict[int, Any] = {}
    gps: dict[int, Any] = {}
    with _pillow_warnings(problems):
        try:
            exif = image.getexif()
            main = dict(exif)
            sub = dict(exif.get_ifd(ExifTags.IFD.Exif))
            gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
        except _PILLOW_ERRORS as error:
            problems.append(f"unreadable EXIF: {_short(error)}")
    return main, sub, gps


def _hashes(image: Image.Image, transpose: Image.Transpose | None, problems: list[str]) -> _Hashes:
    with _pillow_warnings(problems):
        try:
            image.draft(None, (HASH_SIDE, HASH_SIDE))  # JPEG only: decode at 1/2, 1/4 or 1/8
            picture = image.convert("RGB")
            picture.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.LANCZOS)
            if transpose is not None:
                picture = picture.transpose(transpose)
        except _PILLOW_ERRORS as error:
            problems.append(f"image data unreadable (truncated or corrupt): {_short(error)}")
            return _Hashes()
    phash = str(imagehash.phash(picture))
    try:
        bits, quality = pdqhash.compute(np.asarray(picture, dtype=np.uint8))
    except (ValueError, TypeError) as error:
        problems.append(f"PDQ hash failed: {_short(error)}")
        return _Hashes(phash=phash)
    # pdqhash returns the bits most significant first, so packing them gives the reference hex.
    pdq = np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()
    return _Hashes(phash=phash, pdq=pdq, pdq_quality=int(quality))


def _facts(
    width: int | None,
    height: int | None,
    tags: Mapping[int, Any],
    gps: Mapping[int, Any],
    hashes: _Hashes,
    problems: list[str],
) -> PhotoFacts:
    make = _text(tags.get(ExifTags.Base.Make), "camera make", problems)
    model = _text(tags.get(ExifTags.Base.Model), "camera model", problems)
    taken_at = _taken_at(tags, problems)
    latitude, longitude = _position(gps, problems)
    altitude = _altitude(gps, problems)
    gps_time = _gps_time(gps, problems)
    return PhotoFacts(
        width=width,
        height=height,
        taken_at=taken_at,
        camera_make=make,
        camera_model=model,
        latitude=latitude,
        longitude=longitude,
        altitude_m=altitude,
        gps_time=gps_time,
        phash=hashes.phash,
        pdq=hashes.pdq,
        pdq_quality=hashes.pdq_quality,
        problems=tuple(problems),
    )


def _short(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:199] + "…"


def _text(value: object, what: str, problems: list[str]) -> str | None:
    """EXIF text, without NULs, control characters or padding, at most TEXT_LIMIT characters."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        problems.append(f"{what} is not text: {_short(repr(value))}")
        return None
    # Cc covers NUL padding and terminal escapes alike: neither belongs in a camera name.
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value).strip()
    return " ".join(cleaned.split())[:TEXT_LIMIT] or None


def _taken_at(tags: Mapping[int, Any], problems: list[str]) -> str | None:
    for tag, what in (
        (ExifTags.Base.DateTimeOriginal, "date taken"),
        (ExifTags.Base.DateTime, "file date"),
    ):
        text = _text(tags.get(tag), what, problems)
        # EXIF writes an unknown date as blanks or zeros ("0000:00:00 00:00:00"): absent, not bad.
        if text is None or not text.strip("0: "):
            continue
        match = _EXIF_DATETIME.match(text)  # trailing fractions or zone ignored
        try:
            if match is None:
                raise ValueError
            return _datetime(match).isoformat()
        except ValueError:
            problems.append(f"unreadable {what}: {text!r}")
    return None


def _datetime(match: re.Match[str]) -> datetime:
    """The date (and time) a regular expression took apart; ValueError if no such day."""
    numbers = [int(group) for group in match.groups()]
    year, month, day, hour, minute, second = [*numbers, 0, 0, 0][:6]
    return datetime(year, month, day, hour, minute, second)


def _number(value: object, what: str, problems: list[str]) -> float | None:
    """A finite, non-negative EXIF number (EXIF rationals are unsigned), else a problem."""
    if isinstance(value, IFDRational):
        if value.denominator == 0:
            problems.append(f"{what} has a zero denominator")
            return None
        number = float(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        problems.append(f"{what} is not a number: {_short(repr(value))}")
        return None
    if not math.isfinite(number) or number < 0:
        problems.append(f"{what} is not a valid number: {number}")
        return None
    return number


def _sexagesimal(value: object, what: str, problems: list[str]) -> list[float] | None:
    """Degrees (or hours), minutes, seconds: one to three numbers, minutes and seconds < 60."""
    parts = value if isinstance(value, tuple) else (value,)
    if not 1 <= len(parts) <= 3:
        problems.append(f"{what} has {len(parts)} parts, not degrees, minutes, seconds")
        return None
    numbers = [_number(part, what, problems) for part in parts]
    if any(number is None for number in numbers):
        return None
    checked = [number for number in numbers if number is not None]
    if any(number >= 60 for number in checked[1:]):
        problems.append(f"{what} has minutes or seconds of 60 or more: {checked}")
        return None
    return checked


def _coordinate(
    gps: Mapping[int, Any],
    tag: int,
    ref_tag: int,
    what: str,
    refs: str,
    limit: float,
    problems: list[str],
) -> float | None:
    value = gps.get(tag)
    if value is None:
        problems.append(f"GPS {what} missing")
        return None
    parts = _sexagesimal(value, f"GPS {what}", problems)
    degrees = None if parts is None else sum(n / 60.0**i for i, n in enumerate(parts))
    if degrees is not None and degrees > limit:
        problems.append(f"GPS {what} out of range: {degrees:.10g}")
        degrees = None
    # A missing hemisphere could be either sign: guessing N or E would put a photo taken in
    # Argentina in the Sahara, so no reference means no position.
    ref = _text(gps.get(ref_tag), f"GPS {what} reference", problems)
    if ref is None:
        problems.append(f"GPS {what} reference missing")
        return None
    if len(ref) != 1 or ref.upper() not in refs:
        problems.append(f"GPS {what} reference is {ref!r}, not {' or '.join(refs)}")
        return None
    if degrees is None:
        return None
    return -degrees if ref.upper() in "SW" else degrees


def _position(gps: Mapping[int, Any], problems: list[str]) -> tuple[float | None, float | None]:
    if _GPS.GPSLatitude not in gps and _GPS.GPSLongitude not in gps:
        return None, None  # many cameras write a GPS directory with only a time or a version
    latitude = _coordinate(
        gps, _GPS.GPSLatitude, _GPS.GPSLatitudeRef, "latitude", "NS", 90.0, problems
    )
    longitude = _coordinate(
        gps, _GPS.GPSLongitude, _GPS.GPSLongitudeRef, "longitude", "EW", 180.0, problems
    )
    if latitude is None or longitude is None:
        return None, None
    if latitude == 0 and longitude == 0:
        # "Null Island": what a receiver without a fix writes, not where anyone stood.
        problems.append("GPS position 0, 0 is a placeholder, not a place")
        return None, None
    datum = _text(gps.get(_GPS.GPSMapDatum), "GPS map datum", problems)
    if datum is not None and re.sub(r"[^A-Z0-9]", "", datum.upper()) != "WGS84":
        problems.append(f"GPS map datum is {datum!r}, not WGS-84: position may be off by 100s of m")
    return latitude, longitude


def _altitude(gps: Mapping[int, Any], problems: list[str]) -> float | None:
    value = gps.get(_GPS.GPSAltitude)
    if value is None:
        return None
    metres = _number(value, "GPS altitude", problems)
    ref = gps.get(_GPS.GPSAltitudeRef, 0)  # 0 above sea level (the default), 1 below
    if isinstance(ref, bytes) and len(ref) == 1:
        ref = ref[0]
    if ref not in (0, 1) or isinstance(ref, bool):
        problems.append(f"GPS altitude reference is {_short(repr(ref))}, not 0 or 1")
        return None
    if metres is None:
        return None
    # A kilometre below sea level (the Dead Sea shore is at -430 m) or higher than weather
    # balloons fly is a broken tag, not where a photo was taken.
    if metres > (1_000 if ref else 50_000):
        problems.append(f"GPS altitude out of range: {'-' if ref else ''}{metres:g} m")
        return None
    return -metres if ref else metres


def _gps_time(gps: Mapping[int, Any], problems: list[str]) -> str | None:
    date_text = _text(gps.get(_GPS.GPSDateStamp), "GPS date", problems)
    date = None
    if date_text is not None:
        match = _EXIF_DATE.fullmatch(date_text)
        try:
            if match is None:
                raise ValueError
            date = _datetime(match)
        except ValueError:
            problems.append(f"unreadable GPS date: {date_text!r}")
    clock = gps.get(_GPS.GPSTimeStamp)
    parts = None if clock is None else _sexagesimal(clock, "GPS time", problems)
    if parts is not None and parts[0] >= 24:
        problems.append(f"GPS time out of range: {parts}")
        parts = None
    if date is None or parts is None:
        return None
    hours, minutes, seconds = [*parts, 0.0, 0.0][:3]
    # GPS time is UTC; fractions of a second are dropped.
    return date.replace(hour=int(hours), minute=int(minutes), second=int(seconds)).isoformat() + "Z"

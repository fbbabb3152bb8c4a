"""read_photo on garbage, on damaged JPEGs and on random GPS tags: facts, never an exception."""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from tests.property.reader_settings import SETTINGS
from veille.enrich.photos import PhotoFacts, read_photo

GPS = ExifTags.GPS
HEX = set("0123456789abcdef")


def photo_bytes() -> bytes:
    """A small JPEG with a full EXIF block, GPS included: the thing to damage."""
    cells = np.random.default_rng(1).integers(0, 256, (6, 8, 3), dtype=np.uint8)
    image = Image.fromarray(cells).resize((96, 64), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2015:02:03 04:05:06"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "S"
    gps[GPS.GPSLatitude] = (IFDRational(33), IFDRational(27), IFDRational(0))
    gps[GPS.GPSLongitudeRef] = "W"
    gps[GPS.GPSLongitude] = (IFDRational(70), IFDRational(39), IFDRational(5040, 100))
    gps[GPS.GPSAltitude] = IFDRational(520)
    gps[GPS.GPSDateStamp] = "2015:02:03"
    gps[GPS.GPSTimeStamp] = (IFDRational(7), IFDRational(5), IFDRational(6))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


PHOTO = photo_bytes()


def check(facts: PhotoFacts) -> None:
    """What must hold of any file's facts, however broken the file."""
    assert (facts.latitude is None) == (facts.longitude is None)
    if facts.latitude is not None and facts.longitude is not None:
        assert -90 <= facts.latitude <= 90
        assert -180 <= facts.longitude <= 180
        assert (facts.latitude, facts.longitude) != (0, 0)
    if facts.altitude_m is not None:
        assert math.isfinite(facts.altitude_m)
    if facts.phash is None:
        assert facts.problems, "no hash and no reason why"
    else:
        assert len(facts.phash) == 16
        assert set(facts.phash) <= HEX
    if facts.pdq is not None:
        assert len(facts.pdq) == 64
        assert set(facts.pdq) <= HEX
        assert facts.pdq_quality is not None
        assert 0 <= facts.pdq_quality <= 100
    for text in (facts.camera_make, facts.camera_model, facts.taken_at, facts.gps_time):
        assert text is None or (0 < len(text) <= 128 and "\x00" not in text)
    assert all(isinstance(problem, str) and problem for problem in facts.problems)


def test_the_undamaged_photo_is_read(tmp_path: Path) -> None:
    # Else the damage below would be exercising a reader that fails on everything.
    path = tmp_path / "photo.jpg"
    path.write_bytes(PHOTO)
    facts = read_photo(path)
    assert facts.problems == ()
    assert facts.latitude is not None
    assert facts.latitude < 0
    assert facts.phash is not None
    check(facts)


@SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".jpg", ".png", ".gif", ""]))
def test_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    check(read_photo(path))


@SETTINGS
@given(
    changes=st.lists(
        st.tuples(st.integers(0, len(PHOTO) - 1), st.integers(0, 255)), min_size=1, max_size=40
    ),
    keep=st.integers(0, len(PHOTO)),
)
def test_a_damaged_jpeg(tmp_path: Path, changes: list[tuple[int, int]], keep: int) -> None:
    data = bytearray(PHOTO)
    for offset, value in changes:
        data[offset] = value
    path = tmp_path / "damaged.jpg"
    path.write_bytes(bytes(data[:keep]))
    check(read_photo(path))


# Mostly plausible values, so that the range and reference checks are reached; some anything.
numerators = st.one_of(st.integers(0, 400), st.integers(0, 2**32 - 1))
denominators = st.one_of(st.sampled_from([1, 1, 1, 10, 100, 0]), st.integers(0, 2**32 - 1))
rationals = st.builds(IFDRational, numerators, denominators)
coordinates = st.one_of(rationals, st.tuples(rationals, rationals, rationals), st.tuples(rationals))
odd_refs = st.one_of(
    st.sampled_from(["", "X", "NS", "EW", "N\x00", " w", "n"]), st.text(max_size=3)
)
lat_refs = st.one_of(st.sampled_from(["N", "S"]), st.none(), odd_refs)
lon_refs = st.one_of(st.sampled_from(["E", "W"]), st.none(), odd_refs)


def hemisphere(ref: str | None) -> str:
    """The reference as read back: control characters and padding gone, upper case."""
    kept = "".join(ch for ch in ref or "" if unicodedata.category(ch) != "Cc")
    return kept.strip().upper()


@settings(SETTINGS, max_examples=300)  # cheap examples; the checks need many to be reached
@given(latitude=coordinates, longitude=coordinates, lat_ref=lat_refs, lon_ref=lon_refs)
def test_random_gps_tags(
    tmp_path: Path,
    latitude: object,
    longitude: object,
    lat_ref: str | None,
    lon_ref: str | None,
) -> None:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[GPS.GPSLatitude] = latitude
    gps[GPS.GPSLongitude] = longitude
    if lat_ref is not None:
        gps[GPS.GPSLatitudeRef] = lat_ref
    if lon_ref is not None:
        gps[GPS.GPSLongitudeRef] = lon_ref
    path = tmp_path / "gps.jpg"
    Image.new("RGB", (16, 16), (90, 140, 200)).save(path, exif=exif)
    facts = read_photo(path)
    check(facts)
    if facts.latitude is not None:  # a position needs both hemispheres, stated plainly
        assert hemisphere(lat_ref) in {"N", "S"}
        assert hemisphere(lon_ref) in {"E", "W"}

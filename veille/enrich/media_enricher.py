"""The ``media`` enricher: EXIF, GPS and perceptual hashes of stored photos.

A photo with a GPS position also places its post: the nearest populated place within 50 km
(GeoNames cities15000), as a ``post_places`` row of origin ``exif`` pointing at the photo.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from veille.enrich.base import Batch, EnrichContext, FactRows
from veille.enrich.nearest_place import NearestPlaces
from veille.enrich.photos import VERSION, read_photo
from veille.enrich.places_enricher import PLACE_COLUMNS

__all__ = ["MediaEnricher"]

COLUMNS = ("media_id", "sha256", "width", "height", "taken_at", "camera_make", "camera_model",
           "latitude", "longitude", "altitude_m", "gps_time", "phash", "pdq", "pdq_quality",
           "problems")  # fmt: skip
MAX_KM = 50.0


class MediaEnricher:
    name: ClassVar[str] = "media"
    version: ClassVar[int] = VERSION
    target: ClassVar[str] = "media"
    tables: ClassVar[tuple[str, ...]] = ("media_facts", "post_places")
    needs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, context: EnrichContext) -> None:
        self._places: NearestPlaces | None = None

    def parameters(self) -> dict[str, Any]:
        return {"reverse_geocoding": "nearest GeoNames cities15000 place", "max_km": MAX_KM}

    @property
    def places(self) -> NearestPlaces:
        if self._places is None:
            self._places = NearestPlaces.load()
        return self._places

    def enrich(self, batch: Batch) -> dict[str, FactRows]:
        facts = FactRows(COLUMNS)
        places = FactRows(PLACE_COLUMNS)
        for media_id, post_id, sha256, path in zip(
            batch["id"], batch["post_id"], batch["sha256"], batch["path"], strict=True
        ):
            if not path or not sha256:
                continue  # the export referred to a file it did not contain
            try:
                photo = read_photo(Path(path))
            except OSError as error:
                problem = f"cannot open the stored copy: {error}"
                facts.add(media_id=media_id, sha256=sha256, problems=json.dumps([problem]))
                continue
            facts.add(media_id=media_id, sha256=sha256, width=photo.width, height=photo.height,
                      taken_at=photo.taken_at, camera_make=photo.camera_make,
                      camera_model=photo.camera_model, latitude=photo.latitude,
                      longitude=photo.longitude, altitude_m=photo.altitude_m,
                      gps_time=photo.gps_time, phash=photo.phash, pdq=photo.pdq,
                      pdq_quality=photo.pdq_quality,
                      problems=json.dumps(list(photo.problems), ensure_ascii=False))  # fmt: skip
            if photo.latitude is not None and photo.longitude is not None:
                self._place(places, post_id, media_id, photo.latitude, photo.longitude)
        return {"media_facts": facts, "post_places": places}

    def _place(
        self, rows: FactRows, post_id: str, media_id: str, latitude: float, longitude: float
    ) -> None:
        point = {"post_id": post_id, "origin": "exif", "field": "media", "media_id": media_id,
                 "latitude": latitude, "longitude": longitude, "confidence": 0.9}  # fmt: skip
        where = f"photo GPS {latitude:.4f}, {longitude:.4f}"
        near = self.places.nearest(latitude, longitude, max_km=MAX_KM)
        if near is None:
            rows.add(
                **point,
                place_id=f"point:{latitude:.4f},{longitude:.4f}",
                name=f"{latitude:.4f}, {longitude:.4f}",
                level="point",
                reason=f"{where}; no town of 15,000 people within {MAX_KM:.0f} km",
            )
            return
        rows.add(
            **point,
            place_id=f"geonames:{near.geonameid}",
            geonameid=near.geonameid,
            name=near.name,
            country_code=near.country_code,
            level="city",
            reason=f"{where}: {near.distance_km:.1f} km from {near.name}, the nearest town of "
            "15,000 people",
        )

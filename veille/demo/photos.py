"""Demo photos that enrichment can tell apart: drawn shapes, some with EXIF GPS, and one
"poster" posted again and again (resized and recompressed), as a group's media cell does.

Pictures are seeded, so the same scenario always gives the same bytes.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

__all__ = ["POSTER_EVERY", "demo_photo"]

POSTER_EVERY = 3  # every 3rd photo of a channel is the group's poster
_CAMERAS = (("Canon", "Canon EOS 600D"), ("samsung", "SM-G930F"), ("Apple", "iPhone 6"))


def _poster(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (400, 300), (20, 20, 20))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 40, 370, 120), fill=(230, 230, 230))
    draw.ellipse((150, 150, 250, 250), fill=(200, 30, 30))
    draw.polygon([(40, 280), (120, 160), (200, 280)], fill=(240, 200, 40))
    return image.resize((width, height))


def _scene(rng: random.Random, width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), tuple(rng.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(width // 10, width // 3)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + size, y + size), fill=colour)
        else:
            draw.rectangle((x, y, x + size, y + size // 2), fill=colour)
    return image


def _gps(latitude: float, longitude: float) -> dict[int, object]:
    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2))

    return {1: "N" if latitude >= 0 else "S", 2: dms(latitude),
            3: "E" if longitude >= 0 else "W", 4: dms(longitude)}  # fmt: skip


def demo_photo(
    rng: random.Random,
    number: int,
    width: int,
    height: int,
    where: tuple[float, float] | None,
    taken: str,
) -> bytes:
    """Photo ``number`` of a channel: the poster every ``POSTER_EVERY``, else a scene with GPS
    at ``where`` (latitude, longitude) and the camera clock ``taken`` ("2016:11:02 10:15:00")."""
    poster = number % POSTER_EVERY == 0
    image = _poster(width, height) if poster else _scene(rng, width, height)
    exif = Image.Exif()
    if not poster:
        make, model = rng.choice(_CAMERAS)
        exif[0x010F], exif[0x0110] = make, model
        exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
        if where is not None:
            exif.get_ifd(0x8825).update(_gps(*where))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rng.randrange(70, 92), exif=exif)
    return out.getvalue()

"""Check, normalise and shrink uploaded photos; read their EXIF time and position first.

Pure module: bytes in, a ProcessedImage out, a ValidationError for anything a crew can fix by
sending another photo. The rules are OFFLINE.md 8–9: the photo's own EXIF time and GPS are kept
(read before anything touches the pixels), the stored copy is an upright sRGB JPEG whose long
side is at most 2048 px, and it carries no EXIF, so its location lives only in the record.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import warnings
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from PIL import Image, ImageCms, ImageOps

from inspection.errors import N_, ValidationError

try:  # iPhones send HEIC; pillow-heif decodes it (and applies its rotation while doing so).
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - the pinned requirement provides it
    HEIF_SUPPORTED = False
else:
    register_heif_opener()
    HEIF_SUPPORTED = True

MIME = "image/jpeg"
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80

# Pillow format names Image.open may try. A phone JPEG with a depth map or a second frame
# (Multi-Picture Format) is opened by the JPEG plugin and reports itself as "MPO".
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", *(("HEIF",) if HEIF_SUPPORTED else ()))
_FORMAT_NAMES = {"MPO": "JPEG"}

# ISO-BMFF brands of HEIC/HEIF stills, to say "HEIC is not supported" rather than "not an image".
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1"}

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011
_GPS_LATITUDE_REF, _GPS_LATITUDE, _GPS_LONGITUDE_REF, _GPS_LONGITUDE = 1, 2, 3, 4
_GPS_STATUS = 9
_OFFSET = re.compile(r"[+-](?:[01]\d|2[0-3]):[0-5]\d|Z")

_MB = 1024 * 1024


@dataclass(frozen=True)
class ExifFacts:
    """The photo's own time and position as the camera wrote them; None when absent or invalid."""

    taken_at: str | None  # ISO 8601 as written by the camera; offset only when the camera wrote one
    lon: float | None  # WGS84 decimal degrees, east positive
    lat: float | None  # WGS84 decimal degrees, north positive


NO_EXIF = ExifFacts(taken_at=None, lon=None, lat=None)


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted photo: the stored JPEG, its thumbnail and the facts kept beside them."""

    content: bytes
    thumbnail: bytes
    mime: str
    width: int
    height: int
    sha256: str  # of content
    original_sha256: str  # of the bytes the phone sent (what the outbox checksums)
    original_format: str  # JPEG, PNG, WEBP or HEIF
    exif: ExifFacts


def process_upload(
    data: bytes,
    *,
    max_bytes: int = 25 * _MB,
    max_pixels: int = 50_000_000,
    long_side: int = 2048,
    thumb_side: int = 320,
) -> ProcessedImage:
    """Check an uploaded photo and return an upright, shrunk, EXIF-free JPEG plus its facts.

    Raise ValidationError for an empty, oversized, unreadable, disallowed, too-many-pixel or
    damaged file. Sizes are checked before any pixel is decoded.
    """
    _check_size(data, max_bytes)
    # Warning filters are process-wide (Python 3.11 has no per-thread ones); the worst a
    # concurrent thread can see is these same filters.
    with warnings.catch_warnings():
        # Pillow warns about malformed metadata; here that costs only the EXIF facts.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
        # Image.open warns past Pillow's bomb level; our own check right after it says more.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = _open(data)
        except Image.DecompressionBombError as error:  # past twice Pillow's level: no size given
            raise _too_many_pixels_unknown(_pixel_limit(max_pixels)) from error
        with image:
            _check_pixels(image.size, _pixel_limit(max_pixels))
            # From here on a bomb warning (a plugin checking again while decoding) refuses.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            original_format = _FORMAT_NAMES.get(image.format or "", image.format or "")
            exif = read_exif_facts(image)
            try:
                content, thumbnail, size = _normalise(image, long_side, thumb_side)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise _too_many_pixels_unknown(_pixel_limit(max_pixels)) from error
            except MemoryError:
                raise
            except Exception as error:  # any decoder failure is the file's fault, never a 500
                raise ValidationError(
                    N_("The photo file is damaged or incomplete; take or send the photo again."),
                    fields={"photo": N_("The photo file is damaged.")},
                ) from error
    return ProcessedImage(
        content=content,
        thumbnail=thumbnail,
        mime=MIME,
        width=size[0],
        height=size[1],
        sha256=hashlib.sha256(content).hexdigest(),
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_format=original_format,
        exif=exif,
    )


def read_exif_facts(image: Image.Image) -> ExifFacts:
    """Return the EXIF DateTimeOriginal and GPS position of an opened image; never raise."""
    try:
        exif = image.getexif()
        taken_at = _taken_at(exif.get_ifd(_EXIF_IFD))
        lon, lat = _position(exif.get_ifd(_GPS_IFD))
    except Exception:  # malformed EXIF must not cost the crew their photo
        return NO_EXIF
    return ExifFacts(taken_at=taken_at, lon=lon, lat=lat)


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ValidationError(
            N_("The photo is empty (0 bytes); send the photo again."),
            fields={"photo": N_("The photo is empty.")},
        )
    if len(data) > max_bytes:
        raise ValidationError(
            N_("The photo is %(size_mb).1f MB; the limit is %(limit_mb)g MB."),
            fields={"photo": N_("The photo is too large.")},
            # Rounded up so a file just over the limit never reads as equal to it.
            size_mb=math.ceil(len(data) / _MB * 10) / 10,
            limit_mb=round(max_bytes / _MB, 2),
        )


def _open(data: bytes) -> Image.Image:
    """Identify the file from its header only (Image.open is lazy); refuse other formats."""
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, MemoryError):
        raise
    except Exception as error:  # UnidentifiedImageError, or a plugin tripping over a bad header
        if not HEIF_SUPPORTED and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
            raise ValidationError(
                N_(
                    "HEIC is not supported on this server; set the phone camera to "
                    "'Most compatible' (JPEG)."
                ),
                fields={"photo": N_("HEIC photos are not supported.")},
            ) from error
        raise _not_an_image() from error
    if _FORMAT_NAMES.get(image.format or "", image.format) not in ALLOWED_FORMATS:
        image.close()
        raise _not_an_image()
    return image


def _not_an_image() -> ValidationError:
    return ValidationError(
        N_("The file is not an image we can read; send a JPEG, PNG, WebP or HEIC photo."),
        fields={"photo": N_("Not a JPEG, PNG, WebP or HEIC photo.")},
    )


def _pixel_limit(max_pixels: int) -> int:
    """Return the pixel limit: the caller's, capped by Pillow's own bomb level when one is set."""
    pillow_limit = Image.MAX_IMAGE_PIXELS
    return min(max_pixels, pillow_limit) if pillow_limit else max_pixels


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise _not_an_image()
    if width * height > max_pixels:
        raise ValidationError(
            N_(
                "The photo is %(width)d × %(height)d pixels (%(megapixels).1f megapixels); "
                "the limit is %(limit_mp)g megapixels."
            ),
            fields={"photo": N_("The photo has too many pixels.")},
            width=width,
            height=height,
            megapixels=width * height / 1_000_000,
            limit_mp=max_pixels / 1_000_000,
        )


def _too_many_pixels_unknown(max_pixels: int) -> ValidationError:
    return ValidationError(
        N_(
            "The photo has more pixels than we can safely open; "
            "the limit is %(limit_mp)g megapixels."
        ),
        fields={"photo": N_("The photo has too many pixels.")},
        limit_mp=max_pixels / 1_000_000,
    )


def _normalise(
    image: Image.Image, long_side: int, thumb_side: int
) -> tuple[bytes, bytes, tuple[int, int]]:
    """Decode, turn upright, shrink and convert to sRGB; return (JPEG, thumbnail JPEG, size)."""
    # A JPEG can be decoded straight at 1/2, 1/4 or 1/8 scale: far less memory for big photos.
    image.draft(None, _fit(image.size, long_side))
    image.load()
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # unreadable orientation: keep the pixels as stored rather than refuse
        upright = image.copy()
    icc_profile = image.info.get("icc_profile")

    picture = _to_resizable_mode(upright)
    picture = _resize(picture, long_side)
    picture = _to_srgb(picture, icc_profile)
    thumbnail = _resize(picture, thumb_side)
    return (
        _encode_jpeg(picture, JPEG_QUALITY),
        _encode_jpeg(thumbnail, THUMBNAIL_QUALITY),
        picture.size,
    )


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """Return size scaled so its long side is at most long_side (never enlarged)."""
    width, height = size
    scale = long_side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resize(image: Image.Image, long_side: int) -> Image.Image:
    target = _fit(image.size, long_side)
    if target == image.size:
        return image
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _to_resizable_mode(image: Image.Image) -> Image.Image:
    """Convert palette, bilevel and 16-bit modes to ones that resample smoothly."""
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit greyscale (PNG): scale to 8 bits instead of clipping everything to white.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("1", "F"):
        return image.convert("L")
    if image.mode in ("PA", "La"):
        return image.convert("RGBA")
    if image.mode == "RGBa":
        return image.convert("RGBA")
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Flatten transparency onto white and convert to sRGB RGB (the stored copy has no profile)."""
    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA")).convert(
            "RGB" if image.mode == "RGBA" else "L"
        )
    if icc_profile:
        # iPhones tag photos Display P3; dropping the profile without converting dulls colours.
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(image, source, _srgb(), outputMode="RGB")
        except Exception:  # a broken or mismatched profile: keep the numbers as they are
            converted = None
        if converted is not None:
            return converted
    return image if image.mode == "RGB" else image.convert("RGB")


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    # No exif= and no icc_profile=: the stored file carries neither location nor camera data.
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 ") or None


def _taken_at(exif_ifd: Any) -> str | None:
    """Return DateTimeOriginal (with OffsetTimeOriginal when written) as ISO 8601, or None."""
    written = _text(exif_ifd.get(_DATETIME_ORIGINAL))
    if written is None:
        return None
    try:
        moment = datetime.strptime(written, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    taken_at = moment.isoformat()
    offset = _text(exif_ifd.get(_OFFSET_TIME_ORIGINAL))
    if offset is not None and _OFFSET.fullmatch(offset):
        taken_at += "+00:00" if offset == "Z" else offset
    return taken_at


def _position(gps: Any) -> tuple[float | None, float | None]:
    """Return (lon, lat) in signed decimal degrees from a GPS IFD, or (None, None)."""
    if not gps or _text(gps.get(_GPS_STATUS)) == "V":  # "V": the receiver had no fix
        return None, None
    lat = _degrees(gps.get(_GPS_LATITUDE), gps.get(_GPS_LATITUDE_REF), {"N": 1, "S": -1}, 90)
    lon = _degrees(gps.get(_GPS_LONGITUDE), gps.get(_GPS_LONGITUDE_REF), {"E": 1, "W": -1}, 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0,0: phones without a fix
        return None, None
    return plausible_position(lon, lat)


def plausible_position(lon: Any, lat: Any) -> tuple[float | None, float | None]:
    """Return (lon, lat) when both are finite numbers on the globe, else (None, None): a
    position out of range (|lat| > 90, |lon| > 180, NaN) is dropped, never stored."""
    if isinstance(lon, bool) or isinstance(lat, bool):
        return None, None
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return None, None
    try:
        lon, lat = float(lon), float(lat)
    except OverflowError:
        return None, None
    if not (math.isfinite(lon) and math.isfinite(lat) and abs(lat) <= 90 and abs(lon) <= 180):
        return None, None
    return lon, lat


def _degrees(value: Any, ref: Any, signs: dict[str, int], limit: float) -> float | None:
    """Convert EXIF (degrees, minutes, seconds) rationals and a hemisphere ref to signed degrees."""
    sign = signs.get((_text(ref) or "").upper())
    if sign is None or not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    parts = [float(part) for part in value] + [0.0] * (3 - len(value))
    degrees, minutes, seconds = parts
    if (
        not all(math.isfinite(part) and part >= 0 for part in parts)
        or minutes >= 60
        or seconds >= 60
    ):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if result > limit:
        return None
    return round(sign * result, 7)

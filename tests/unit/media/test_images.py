"""Photo checks and normalisation; every test image is made here with Pillow."""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageFile
from PIL.TiffImagePlugin import IFDRational

from inspection.errors import ValidationError
from inspection.media import images
from inspection.media.images import ExifFacts, process_upload

RED = (255, 0, 0)
GREY = (128, 128, 128)
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def make_exif(
    *,
    orientation: int | None = None,
    gps: dict[int, object] | None = None,
    taken: str | None = None,
    offset: str | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if gps is not None:
        exif.get_ifd(0x8825).update(gps)
    if taken is not None or offset is not None:
        exif_ifd = exif.get_ifd(0x8769)
        if taken is not None:
            exif_ifd[0x9003] = taken
        if offset is not None:
            exif_ifd[0x9011] = offset
    return exif


def urumqi_gps(lat_ref: str = "N", lon_ref: str = "E") -> dict[int, object]:
    return {1: lat_ref, 2: (43.0, 49.0, 30.5), 3: lon_ref, 4: (87.0, 36.0, 0.0)}


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (64, 48), **params: object) -> bytes:
    return encode(Image.new("RGB", size, GREY), "JPEG", **params)


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def png_bomb(width: int, height: int) -> bytes:
    """Return a valid 1-bit PNG of width × height, compressed row by row (tiny, never in memory)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """Return a small JPEG whose frame header claims width × height."""
    data = bytearray(jpeg((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def refuse(data: bytes, **limits: int) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_upload(data, **limits)
    error = caught.value
    assert error.fields.keys() == {"photo"}
    return error


# --- accepted photos --------------------------------------------------------------------------


def test_rotated_phone_jpeg_is_turned_upright_and_shrunk():
    # Stored landscape 4000 × 3000 with orientation 6: the camera was held upright, so the
    # picture is shown rotated 90° clockwise and the stored top-left corner lands top-right.
    picture = Image.new("RGB", (4000, 3000), GREY)
    picture.paste(RED, (0, 0, 800, 600))
    data = encode(picture, "JPEG", quality=90, exif=make_exif(orientation=6))

    result = process_upload(data)

    assert (result.width, result.height) == (1536, 2048)
    assert result.mime == "image/jpeg"
    assert result.original_format == "JPEG"
    stored = decode(result.content)
    assert stored.format == "JPEG"
    assert stored.mode == "RGB"
    assert stored.size == (1536, 2048)
    assert _near(stored.getpixel((1536 - 50, 50)), RED)
    assert _near(stored.getpixel((50, 50)), GREY)
    assert _near(stored.getpixel((1536 - 50, 2048 - 50)), GREY)
    thumbnail = decode(result.thumbnail)
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (240, 320)
    assert _near(thumbnail.getpixel((240 - 10, 10)), RED)


def test_stored_copy_carries_no_exif():
    data = jpeg(exif=make_exif(orientation=1, gps=urumqi_gps(), taken="2024:05:03 14:22:10"))

    result = process_upload(data)

    for blob in (result.content, result.thumbnail):
        stored = Image.open(io.BytesIO(blob))
        assert "exif" not in stored.info
        assert not stored.getexif()
        assert "icc_profile" not in stored.info
    assert result.exif.lat is not None  # the facts are kept beside the file instead


def test_small_photo_is_not_enlarged():
    result = process_upload(jpeg((300, 200)))

    assert (result.width, result.height) == (300, 200)
    assert decode(result.thumbnail).size == (300, 200)


def test_long_side_and_thumbnail_side_can_be_chosen():
    result = process_upload(jpeg((1000, 500)), long_side=400, thumb_side=100)

    assert (result.width, result.height) == (400, 200)
    assert decode(result.thumbnail).size == (100, 50)


@pytest.mark.parametrize(
    ("mode", "fmt", "params"),
    [
        ("RGB", "PNG", {}),
        ("RGBA", "PNG", {}),
        ("P", "PNG", {}),
        ("L", "PNG", {}),
        ("I;16", "PNG", {}),
        ("RGB", "WEBP", {"quality": 80}),
        ("RGBA", "WEBP", {"lossless": True}),
        ("L", "JPEG", {}),
        ("CMYK", "JPEG", {}),
    ],
)
def test_png_webp_and_other_jpeg_modes_are_accepted(mode, fmt, params):
    data = encode(Image.new(mode, (120, 90)), fmt, **params)

    result = process_upload(data)

    assert result.original_format == fmt
    assert (result.width, result.height) == (120, 90)
    assert decode(result.content).mode == "RGB"


def test_transparent_png_is_flattened_onto_white():
    data = encode(Image.new("RGBA", (40, 40), (0, 0, 0, 0)), "PNG")

    stored = decode(process_upload(data).content)

    assert _near(stored.getpixel((20, 20)), (255, 255, 255))


def test_sixteen_bit_greyscale_png_keeps_its_tones():
    data = encode(Image.new("I;16", (40, 40), 0x8000), "PNG")

    stored = decode(process_upload(data).content)

    assert _near(stored.getpixel((20, 20)), (128, 128, 128))


def test_multi_picture_jpeg_from_a_phone_counts_as_jpeg():
    first = Image.new("RGB", (200, 100), RED)
    data = encode(first, "MPO", save_all=True, append_images=[Image.new("RGB", (200, 100))])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    result = process_upload(data)

    assert result.original_format == "JPEG"
    assert _near(decode(result.content).getpixel((100, 50)), RED)


def test_icc_tagged_photo_is_converted_and_a_broken_profile_is_ignored():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture = Image.new("RGB", (60, 40), RED)

    tagged = process_upload(encode(picture, "JPEG", icc_profile=srgb))
    broken = process_upload(encode(picture, "JPEG", icc_profile=b"not a profile"))

    for result in (tagged, broken):
        assert _near(decode(result.content).getpixel((30, 20)), RED)


def test_same_upload_gives_the_same_stored_bytes_and_hashes():
    picture = Image.linear_gradient("L").convert("RGB").resize((3000, 2000))
    data = encode(picture, "JPEG", exif=make_exif(orientation=8))

    first = process_upload(data)
    second = process_upload(data)

    assert first.content == second.content
    assert first.thumbnail == second.thumbnail
    assert first.sha256 == second.sha256 == hashlib.sha256(first.content).hexdigest()
    assert first.original_sha256 == hashlib.sha256(data).hexdigest()
    assert process_upload(jpeg()).sha256 != first.sha256


# --- EXIF facts -------------------------------------------------------------------------------


def test_exif_time_and_gps_are_read():
    data = jpeg(
        exif=make_exif(
            orientation=6, gps=urumqi_gps(), taken="2024:05:03 14:22:10", offset="+08:00"
        )
    )

    facts = process_upload(data).exif

    assert facts.taken_at == "2024-05-03T14:22:10+08:00"
    assert facts.lat == pytest.approx(43 + 49 / 60 + 30.5 / 3600, abs=1e-6)
    assert facts.lon == pytest.approx(87.6, abs=1e-6)


@pytest.mark.parametrize(
    ("lat_ref", "lon_ref", "lat_sign", "lon_sign"),
    [("N", "E", 1, 1), ("S", "W", -1, -1), ("S", "E", -1, 1), ("n", "w", 1, -1)],
)
def test_gps_hemisphere_refs_give_the_sign(lat_ref, lon_ref, lat_sign, lon_sign):
    data = jpeg(exif=make_exif(gps=urumqi_gps(lat_ref, lon_ref)))

    facts = process_upload(data).exif

    assert facts.lat == pytest.approx(lat_sign * 43.825139, abs=1e-6)
    assert facts.lon == pytest.approx(lon_sign * 87.6, abs=1e-6)


def test_gps_written_as_rationals_is_converted():
    gps = {
        1: "N",
        2: (IFDRational(43, 1), IFDRational(4950, 100), IFDRational(0, 1)),
        3: "E",
        4: (IFDRational(87, 1), IFDRational(36, 1), IFDRational(1234, 100)),
    }

    facts = process_upload(jpeg(exif=make_exif(gps=gps))).exif

    assert facts.lat == pytest.approx(43.825, abs=1e-6)
    assert facts.lon == pytest.approx(87 + 36 / 60 + 12.34 / 3600, abs=1e-6)


def test_time_without_offset_is_kept_as_written():
    facts = process_upload(jpeg(exif=make_exif(taken="2024:05:03 14:22:10"))).exif

    assert facts == ExifFacts(taken_at="2024-05-03T14:22:10", lon=None, lat=None)


@pytest.mark.parametrize(
    "gps",
    [
        {2: (43.0, 49.0, 30.5), 4: (87.0, 36.0, 0.0)},  # no hemisphere refs
        {1: "X", 2: (43.0, 49.0, 30.5), 3: "E", 4: (87.0, 36.0, 0.0)},  # unknown ref
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (87.0, 36.0, 0.0)},  # latitude beyond 90°
        {1: "N", 2: (43.0, 75.0, 0.0), 3: "E", 4: (87.0, 36.0, 0.0)},  # 75 minutes
        {1: "N", 2: (IFDRational(43, 0), 0.0, 0.0), 3: "E", 4: (87.0, 36.0, 0.0)},  # x/0
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},  # 0,0: no fix
        {1: "N", 2: (43.0, 49.0, 30.5), 3: "E"},  # longitude missing
        {1: "N", 2: (43.0, 49.0, 30.5), 3: "E", 4: (87.0, 36.0, 0.0), 9: "V"},  # void fix
    ],
)
def test_invalid_gps_gives_no_position_but_keeps_the_photo(gps):
    facts = process_upload(jpeg(exif=make_exif(gps=gps))).exif

    assert (facts.lon, facts.lat) == (None, None)


@pytest.mark.parametrize(
    ("taken", "offset", "expected"),
    [
        ("0000:00:00 00:00:00", None, None),
        ("2024-05-03 14:22:10", None, None),
        ("    :  :     :  :  ", None, None),
        ("2024:05:03 14:22:10", "+8", "2024-05-03T14:22:10"),
    ],
)
def test_invalid_exif_time_is_dropped_or_kept_without_a_bad_offset(taken, offset, expected):
    facts = process_upload(jpeg(exif=make_exif(taken=taken, offset=offset))).exif

    assert facts.taken_at == expected


@pytest.mark.parametrize(
    "exif",
    [
        b"Exif\x00\x00garbage that is no TIFF header",
        b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff",  # IFD claiming 65535 entries
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01\x7f\xff"
        b"\xff\xff\x00\x00\x00\x00",  # GPS IFD pointer far past the end
    ],
)
def test_malformed_exif_never_refuses_the_photo(exif):
    result = process_upload(jpeg((80, 60), exif=exif))

    assert result.exif == images.NO_EXIF
    assert (result.width, result.height) == (80, 60)


# --- refused uploads --------------------------------------------------------------------------


def test_empty_upload_is_refused():
    error = refuse(b"")

    assert "empty" in str(error)


def test_oversized_upload_is_refused_before_decoding(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("an oversized upload must not be opened")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    data = b"\xff" * (26 * 1024 * 1024)

    error = refuse(data)

    assert error.message == "The photo is %(size_mb).1f MB; the limit is %(limit_mb)g MB."
    assert error.params == {"size_mb": 26.0, "limit_mb": 25}
    assert str(error) == "The photo is 26.0 MB; the limit is 25 MB."


def test_size_just_over_the_limit_never_reads_as_the_limit():
    error = refuse(jpeg((400, 300)), max_bytes=1000)

    assert error.params["size_mb"] > error.params["limit_mb"]


@pytest.mark.parametrize(
    "data",
    [
        b"Inspection notes: K12+300 pothole, left lane.\n" * 20,  # text renamed .jpg
        b"%PDF-1.7\n" + b"0" * 500,
        b"\xff\xd8\xff",  # a JPEG signature and nothing else
    ],
)
def test_a_file_that_is_not_an_image_is_refused(data):
    error = refuse(data)

    assert error.message == (
        "The file is not an image we can read; send a JPEG, PNG, WebP or HEIC photo."
    )


@pytest.mark.parametrize(("mode", "fmt"), [("P", "GIF"), ("RGB", "BMP"), ("RGB", "TIFF")])
def test_other_image_formats_are_refused(mode, fmt):
    error = refuse(encode(Image.new(mode, (20, 20)), fmt))

    assert "JPEG, PNG, WebP or HEIC" in str(error)


def test_hundred_megapixel_png_bomb_is_refused_from_its_header(monkeypatch):
    data = png_bomb(10_000, 10_000)
    assert len(data) < 200_000

    def no_pixels(self):
        raise AssertionError("the bomb's pixels must never be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_pixels)
    started = time.perf_counter()

    error = refuse(data)

    assert time.perf_counter() - started < 1.0
    assert error.params == {
        "width": 10_000,
        "height": 10_000,
        "megapixels": 100.0,
        "limit_mp": 50.0,
    }
    assert str(error) == (
        "The photo is 10000 × 10000 pixels (100.0 megapixels); the limit is 50 megapixels."
    )


def test_png_bomb_costs_no_memory():
    # A fresh interpreter so the peak resident size is not an earlier test's.
    script = (
        "import json, resource, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from tests.unit.media.test_images import png_bomb\n"
        "from inspection.errors import ValidationError\n"
        "from inspection.media.images import process_upload\n"
        "data = png_bomb(10_000, 10_000)\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    process_upload(data)\n"
        "except ValidationError:\n"
        "    refused = True\n"
        "else:\n"
        "    refused = False\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'refused': refused, 'grown_kib': after - before}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", script, str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(run.stdout)

    assert report["refused"] is True
    assert report["grown_kib"] < 10 * 1024  # 100 megapixels would need ≥ 100 MB


def test_pixel_limit_is_checked_from_a_jpeg_header_before_decoding():
    error = refuse(jpeg_claiming(10_000, 10_000))

    assert (error.params["width"], error.params["height"]) == (10_000, 10_000)


def test_pillow_own_bomb_error_becomes_a_validation_error():
    # 400 megapixels is past Pillow's hard limit: Image.open itself refuses it.
    error = refuse(jpeg_claiming(20_000, 20_000))

    assert error.params == {"limit_mp": 50.0}
    assert "megapixels" in str(error)


def test_pillow_bomb_level_still_applies_when_the_limit_is_raised():
    # 100 MP is past Pillow's warning level (≈ 89 MP): refused, and no warning leaks.
    error = refuse(png_bomb(10_000, 10_000), max_pixels=200_000_000)

    assert error.params["limit_mp"] == Image.MAX_IMAGE_PIXELS / 1_000_000
    assert error.params["megapixels"] == 100.0


def test_pixel_limit_can_be_chosen():
    error = refuse(jpeg((400, 300)), max_pixels=100_000)

    assert error.params["limit_mp"] == 0.1


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_photo_is_refused(fmt):
    picture = Image.effect_noise((600, 400), 64).convert("RGB")
    data = encode(picture, fmt)

    error = refuse(data[: len(data) // 2])

    assert error.message.startswith(("The photo file is damaged", "The file is not an image"))


def test_truncated_jpeg_says_it_is_damaged():
    data = encode(Image.effect_noise((600, 400), 64).convert("RGB"), "JPEG")

    error = refuse(data[: len(data) // 2])

    assert error.message == (
        "The photo file is damaged or incomplete; take or send the photo again."
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_mangled_files_give_a_photo_or_a_validation_error_never_a_crash(fmt):
    exif = make_exif(orientation=6, gps=urumqi_gps(), taken="2024:05:03 14:22:10")
    params = {"exif": exif.tobytes() if fmt == "HEIF" else exif}
    original = encode(Image.effect_noise((96, 64), 50).convert("RGB"), fmt, **params)
    rng = random.Random(f"mangle-{fmt}")

    for _ in range(150):
        data = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            if rng.random() < 0.7:
                data[at] = rng.randrange(256)
            else:
                del data[at : at + rng.randint(1, 16)]
        try:
            result = process_upload(bytes(data))
        except ValidationError as error:
            assert error.fields.keys() == {"photo"}
        else:
            assert decode(result.content).format == "JPEG"


def test_messages_are_untranslated_templates_with_separate_parameters():
    error = refuse(jpeg((400, 300)), max_pixels=100_000)

    assert "%(width)d" in error.message
    assert error.params["width"] == 400
    assert error.fields == {"photo": "The photo has too many pixels."}
    assert error.status == 422


# --- HEIC -------------------------------------------------------------------------------------


def test_heif_opener_is_registered():
    assert images.HEIF_SUPPORTED
    assert "HEIF" in Image.OPEN
    assert "HEIF" in images.ALLOWED_FORMATS


def test_iphone_heic_is_turned_upright_and_its_exif_read():
    picture = Image.new("RGB", (400, 300), GREY)
    picture.paste(RED, (0, 0, 100, 75))
    exif = make_exif(orientation=6, gps=urumqi_gps(), taken="2024:05:03 14:22:10", offset="+06:00")
    data = encode(picture, "HEIF", exif=exif.tobytes(), quality=90)
    assert data[4:12] == b"ftypheic"

    result = process_upload(data)

    assert result.original_format == "HEIF"
    assert (result.width, result.height) == (300, 400)
    stored = decode(result.content)
    assert stored.format == "JPEG"
    assert _near(stored.getpixel((300 - 20, 20)), RED, tolerance=40)
    assert _near(stored.getpixel((20, 20)), GREY, tolerance=40)
    assert result.exif.taken_at == "2024-05-03T14:22:10+06:00"
    assert result.exif.lat == pytest.approx(43.825139, abs=1e-6)
    assert result.exif.lon == pytest.approx(87.6, abs=1e-6)


def test_truncated_heic_is_refused():
    data = encode(Image.effect_noise((256, 256), 64).convert("RGB"), "HEIF")

    refuse(data[: len(data) // 2])


def test_heic_without_a_decoder_gets_a_clear_message(monkeypatch):
    data = encode(Image.new("RGB", (64, 64), RED), "HEIF")
    monkeypatch.setattr(images, "HEIF_SUPPORTED", False)
    monkeypatch.setattr(images, "ALLOWED_FORMATS", ("JPEG", "PNG", "WEBP"))

    error = refuse(data)

    assert error.message == (
        "HEIC is not supported on this server; set the phone camera to 'Most compatible' (JPEG)."
    )


def _near(pixel: object, expected: tuple[int, int, int], tolerance: int = 24) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))

"""Validation for every image uploaded through the admin.

The pixel limit matters as much as the byte limit: a 12 KB PNG can declare 100 megapixels and
take gigabytes of memory to decode, so the header is read (without decoding) before anything else.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED_IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


def validate_image(file):
    """Reject anything that is not a JPEG, PNG, WebP or GIF of sensible size and pixel count."""
    if file is None:
        return
    if file.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            "This image is %(size)s; the largest allowed is %(limit)s. Please resize it.",
            code="image_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            if width * height <= MAX_IMAGE_PIXELS:
                # Decode it all now: a cut-off file must fail here, with a message, not later
                # while the renditions are made.
                image.load()
    except Image.DecompressionBombError:
        raise ValidationError(
            "This image has far too many pixels; the largest allowed is %(limit).0f megapixels.",
            code="image_too_many_pixels",
            params={"limit": MAX_IMAGE_PIXELS / 1_000_000},
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="invalid_image",
        ) from None
    finally:
        file.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            "Images must be JPEG, PNG, WebP or GIF (this one is %(format)s).",
            code="image_format",
            params={"format": image_format},
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels (%(mp).0f megapixels); the largest allowed "
            "is %(limit).0f megapixels. Please resize it.",
            code="image_too_many_pixels",
            params={
                "width": width,
                "height": height,
                "mp": width * height / 1_000_000,
                "limit": MAX_IMAGE_PIXELS / 1_000_000,
            },
        )

"""Validation for every image uploaded through the admin, and the clean-up of replaced files.

The pixel limit matters as much as the byte limit: a 12 KB PNG can declare 100 megapixels and
take gigabytes of memory to decode, so the header is read (without decoding) before anything else.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED_IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


def validate_image(file):
    """Reject anything that is not a JPEG, PNG, WebP or GIF of sensible size and pixel count.

    Only a new upload is checked. A file already in storage passed this check when it arrived;
    reading it back on every save would fetch it from storage each time, and the admin hands it
    over closed (Django reads its dimensions on assignment and closes it again).
    """
    if file is None or is_stored(file):
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


def is_stored(file):
    """A model's file that is already in storage, not a new upload (Django's own test in
    `FileField.pre_save`)."""
    return isinstance(file, FieldFile) and file._committed


def delete_on_commit(storage, names):
    """Delete these stored files once the current transaction commits: a rolled-back save keeps
    them, and a storage error after the commit is logged, not shown as an error for a saved
    change."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)


def delete_replaced_files(form):
    """After a model form is saved: the files its new upload or "Clear" replaced are deleted
    (once the save commits), unless another record of the model still refers to them."""
    instance = form.instance
    for field in instance._meta.fields:
        if not isinstance(field, models.FileField) or field.name not in form.changed_data:
            continue
        old_name = getattr(form.initial.get(field.name), "name", None)
        if not old_name or old_name == getattr(instance, field.attname).name:
            continue
        if not type(instance)._default_manager.filter(**{field.name: old_name}).exists():
            delete_on_commit(field.storage, [old_name])

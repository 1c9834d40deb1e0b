"""Responsive renditions of a post's images (hero, social), made with Pillow when one changes.

Pillow rather than a thumbnail library: the widths are fixed, the work happens once per upload
(in the admin's save, never while serving a page), and the result is a list of file names on the
post itself, so a page needs no extra query or cache lookup to build its `srcset`.
"""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from clinic.images import delete_on_commit

WIDTHS = (480, 800, 1200, 1600)
FORMATS = {
    "webp": ("WEBP", {"quality": 78, "method": 4}),
    "jpeg": ("JPEG", {"quality": 80, "optimize": True, "progressive": True}),
}


def _encode(image, image_format, options):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def make_renditions(post, *, image_field, renditions_field):
    """Write WebP and JPEG copies of one of the post's images at the widths it can fill; record
    them on the post. The renditions of the image it had before are deleted once this commits."""
    image_file = getattr(post, image_field)
    old_names = [
        name for sizes in getattr(post, renditions_field).values() for _width, name in sizes
    ]
    if not image_file:
        setattr(post, renditions_field, {})
        post.save(update_fields=[renditions_field])
        delete_on_commit(default_storage, old_names)
        return post
    stem = PurePosixPath(image_file.name).stem
    with image_file.open("rb") as file, Image.open(file) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    renditions = {kind: [] for kind in FORMATS}
    for width in sorted(set(widths)):
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for kind, (image_format, options) in FORMATS.items():
            name = default_storage.save(
                f"blog/renditions/{stem}-{width}.{kind.replace('jpeg', 'jpg')}",
                ContentFile(_encode(resized, image_format, options)),
            )
            renditions[kind].append([width, name])
    setattr(post, renditions_field, renditions)
    post.save(update_fields=[renditions_field])
    delete_on_commit(default_storage, old_names)
    return post


def make_hero_renditions(post):
    return make_renditions(post, image_field="hero_image", renditions_field="hero_renditions")


def make_social_renditions(post):
    """The social image's copies: the largest JPEG is what sharing sites fetch (og:image)."""
    return make_renditions(post, image_field="social_image", renditions_field="social_renditions")

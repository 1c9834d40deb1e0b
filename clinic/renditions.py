"""What the public sees of an uploaded image: a re-encoded copy and responsive renditions.

Every image field that shows on the site is a `RenditionImageField`. Whatever way a file arrives
(an admin upload, an importer, `field.save()` in a shell, a model saved with a new file), its
`FieldFile.save()` runs here first: the pixels are decoded, turned upright (EXIF orientation) and
into sRGB, and written again from scratch, so no EXIF (GPS), XMP, IPTC, ICC profile or comment
survives. The stored copy is named after a hash of its bytes, and its WebP and JPEG renditions after
that name, so no name repeats what the file was called on someone's computer, and a name's content
never changes (it can be cached for a year).

The uploaded original is not kept anywhere: nothing on the site needs more than the re-encoded
copy (at most `MASTER_MAX_SIDE` pixels a side, high quality), and a file that is never written
cannot leak through a backup, a misconfigured bucket or a forgotten URL. Renditions can always be
made again from the copy (`manage.py reprocess_images`).
"""

import hashlib
import io
import re
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db.models.fields.files import ImageField, ImageFieldFile
from PIL import Image, ImageCms, ImageOps

MASTER_MAX_SIDE = 3200
MASTER_FORMATS = {
    # An image with transparency stays lossless; every other one becomes a high-quality JPEG.
    True: ("PNG", "png", {"optimize": True}),
    False: ("JPEG", "jpg", {"quality": 90, "optimize": True, "progressive": True}),
}
RENDITION_FORMATS = {
    "webp": ("WEBP", "webp", {"quality": 78, "method": 4}),
    "jpeg": ("JPEG", "jpg", {"quality": 80, "optimize": True, "progressive": True}),
}
# A stored copy's name: the hash, and the suffix a storage adds when that name is already taken;
# a rendition's name adds its width.
HASHED_NAME = re.compile(r"^[0-9a-f]{32}(_[A-Za-z0-9]{7})?$")
HASHED_FILE_NAME = re.compile(r"^[0-9a-f]{32}(_[A-Za-z0-9]{7})?(-\d+w(_[A-Za-z0-9]{7})?)?$")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def clean_pixels(file):
    """The image's pixels only, upright, in sRGB, at most MASTER_MAX_SIDE a side: a new image
    that carries none of the file's metadata."""
    file.seek(0)
    with Image.open(file) as original:
        image = ImageOps.exif_transpose(original)
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    icc_profile = image.info.get("icc_profile")
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            # Without its profile, a photo taken in Display P3 or Adobe RGB would look dull.
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the colours as they are
    image = image.convert(mode)
    clean = Image.new(mode, image.size)
    clean.paste(image)
    clean.thumbnail((MASTER_MAX_SIDE, MASTER_MAX_SIDE), Image.Resampling.LANCZOS)
    return clean


def encode(image, image_format, options):
    if image_format == "JPEG" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def content_name(data, extension):
    return f"{hashlib.sha256(data).hexdigest()[:32]}.{extension}"


def is_clean_name(name):
    """A stored copy this module wrote (hashed name), as opposed to an upload from before."""
    return bool(name) and bool(HASHED_NAME.match(PurePosixPath(name).stem))


def is_content_hashed(name):
    """A stored copy or rendition named after its content: what is at that name never changes."""
    return bool(HASHED_FILE_NAME.match(PurePosixPath(name).stem))


class RenditionImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        image = clean_pixels(content)
        image_format, extension, options = MASTER_FORMATS[image.mode == "RGBA"]
        data = encode(image, image_format, options)
        self.field.forget_renditions(self.instance)
        name = content_name(data, extension)
        # Named, so Django measures the new copy in memory rather than reading it back.
        super().save(name, ContentFile(data, name=name), save=False)
        setattr(self.instance, self.field.renditions_field, self.field.make_renditions(self, image))
        if save:
            self.instance.save()

    save.alters_data = True


class RenditionImageField(ImageField):
    """An ImageField whose files are stored re-encoded under hashed names, with renditions.

    `renditions_field` names the model's JSONField that records them:
    {"webp": [[width, name], ...], "jpeg": [...]}, narrowest first, each no wider than the image.
    """

    attr_class = RenditionImageFieldFile

    def __init__(self, *args, renditions_field, rendition_widths, **kwargs):
        self.renditions_field = renditions_field
        self.rendition_widths = tuple(rendition_widths)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["renditions_field"] = self.renditions_field
        kwargs["rendition_widths"] = self.rendition_widths
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        if not getattr(model_instance, self.attname) and getattr(
            model_instance, self.renditions_field
        ):
            # Cleared: the renditions go with the image.
            self.forget_renditions(model_instance)
            setattr(model_instance, self.renditions_field, {})
        return super().pre_save(model_instance, add)

    def forget_renditions(self, instance):
        """Note the renditions being replaced, for `replaced_renditions()` to delete later."""
        replaced = instance.__dict__.setdefault("_replaced_renditions", {})
        replaced.setdefault(self.name, []).extend(
            rendition_names(getattr(instance, self.renditions_field))
        )

    def make_renditions(self, field_file, image):
        master = PurePosixPath(field_file.name)
        folder = master.parent / "renditions"
        widths = [w for w in self.rendition_widths if w < image.width]
        widths = sorted({*widths, min(image.width, self.rendition_widths[-1])})
        renditions = {kind: [] for kind in RENDITION_FORMATS}
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            for kind, (image_format, extension, options) in RENDITION_FORMATS.items():
                stored = self.storage.save(
                    f"{folder}/{master.stem}-{width}w.{extension}",
                    ContentFile(encode(resized, image_format, options)),
                )
                renditions[kind].append([width, stored])
        return renditions


def rendition_names(renditions):
    return [name for sizes in (renditions or {}).values() for _width, name in sizes]


def replaced_renditions(instance, field_name):
    """The renditions a new or cleared image replaced on this instance since it was loaded."""
    return instance.__dict__.get("_replaced_renditions", {}).get(field_name, [])


class Renditions:
    """URLs of one image's renditions for templates (storage.url() is string work, no I/O)."""

    def __init__(self, field_file, renditions):
        self.field_file = field_file
        self.renditions = renditions or {}

    def srcset(self, kind):
        storage = self.field_file.storage
        return ", ".join(
            f"{storage.url(name)} {width}w" for width, name in self.renditions.get(kind, [])
        )

    def url(self, *, largest):
        """The largest (or smallest) JPEG rendition, else the stored copy itself."""
        jpegs = self.renditions.get("jpeg")
        if jpegs:
            return self.field_file.storage.url(jpegs[-1 if largest else 0][1])
        return self.field_file.url if self.field_file else ""

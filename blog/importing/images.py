"""Images of the old site, fetched from the address the export gives (its CDN), with a timeout
and a size limit, and checked as every upload is (clinic.images)."""

import posixpath
from urllib.error import URLError
from urllib.parse import unquote, urlsplit
from urllib.request import Request, urlopen

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename

from clinic.images import MAX_IMAGE_BYTES, validate_image

TIMEOUT_SECONDS = 20


class ImageUnavailable(Exception):
    """The image could not be fetched or is not one the site accepts; the message says why."""


def fetch_image(url, *, timeout=TIMEOUT_SECONDS):
    """The image at `url` as a ContentFile named after it, or ImageUnavailable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImageUnavailable("not an http(s) address")
    request = Request(url, headers={"User-Agent": "clinic-site-import/1.0"})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            data = response.read(MAX_IMAGE_BYTES + 1)
    except (URLError, TimeoutError, OSError, ValueError) as error:
        raise ImageUnavailable(
            f"could not be fetched ({getattr(error, 'reason', error)})"
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageUnavailable("larger than the 5 MB an upload may be")
    name = get_valid_filename(posixpath.basename(unquote(parts.path))) or "image"
    file = ContentFile(data, name=name[-100:])
    try:
        validate_image(file)
    except ValidationError as error:
        raise ImageUnavailable(" ".join(error.messages)) from None
    return file

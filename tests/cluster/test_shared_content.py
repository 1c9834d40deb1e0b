"""What one app server does, the other shows at once: edits (page cache included) and uploads."""

import io
import os
import re
import secrets
import urllib.request

from PIL import Image

from tests.cluster.conftest import sql
from tests.cluster.editing import (
    assert_an_edit_shows_at_once_on_the_other,
    change_form,
    logged_in_admin,
)
from tests.cluster.http_client import Visitor


def test_an_edit_through_one_server_shows_at_once_on_the_other(servers):
    assert_an_edit_shows_at_once_on_the_other(*servers)


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_uploaded_through_one_server_is_served_through_the_other(servers):
    first, second = servers
    practitioner_id, slug = sql("SELECT id, slug FROM clinic_practitioner ORDER BY id LIMIT 1")[0]
    admin = logged_in_admin(first)
    name = f"cluster-{secrets.token_hex(4)}.png"

    saved = change_form(
        admin,
        f"/admin/clinic/practitioner/{practitioner_id}/change/",
        "practitioner_form",
        files={"photo": (name, png_bytes(400, 400), "image/png")},
    )

    assert saved.status == 302, saved.text[:2000]
    page = Visitor(second).get(f"/about/{slug}/").text
    sources = re.findall(r'<img[^>]+src="([^"]+practitioners/[^"]+)"', page)
    assert sources, "the practitioner page shows no uploaded photo"
    url = sources[0].replace("&amp;", "&")
    # From the object store (a CDN's origin), not from either app server's disk.
    store = os.environ["AWS_S3_ENDPOINT_URL"]
    assert url.startswith(f"{store}/{os.environ['AWS_STORAGE_BUCKET_NAME']}/media/practitioners/")
    assert "Signature" not in url and "X-Amz" not in url
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        image = Image.open(io.BytesIO(response.read()))
    assert image.size[0] > 0 and image.size[1] > 0
    # The Content-Security-Policy lets the pages show images from the store.
    policy = Visitor(second).get(f"/about/{slug}/").headers["Content-Security-Policy"]
    assert store in policy

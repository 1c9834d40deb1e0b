"""What one app server does, the other shows at once: edits (page cache included) and uploads."""

import io
import os
import re
import secrets
import urllib.request

from PIL import Image

from tests.admin_pages import form_data
from tests.cluster.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, sql
from tests.cluster.http_client import Visitor


def change_form(admin, url, form_id, files=None, **changes):
    data = form_data(admin.get(url).text, form_id) | {"_continue": ["Save and continue editing"]}
    data |= {name: [value] for name, value in changes.items()}
    return admin.post(url, data, files=files)


def test_an_edit_through_one_server_shows_at_once_on_the_other(servers):
    first, second = servers
    service_id, slug = sql("SELECT id, slug FROM clinic_service ORDER BY id LIMIT 1")[0]
    visitor = Visitor(second)
    # Rendered and cached on the second server before the edit.
    for _ in range(2):
        before = visitor.get(f"/services/{slug}/")
        assert before.status == 200
    summary = f"Now with a cluster check {secrets.token_hex(4)}."
    assert summary not in before.text
    admin = Visitor(first)
    assert admin.log_in(ADMIN_USERNAME, ADMIN_PASSWORD).status == 302

    saved = change_form(
        admin, f"/admin/clinic/service/{service_id}/change/", "service_form", summary=summary
    )

    assert saved.status == 302, saved.text[:2000]
    assert summary in visitor.get(f"/services/{slug}/").text
    assert summary in visitor.get("/services/").text


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_uploaded_through_one_server_is_served_through_the_other(servers):
    first, second = servers
    practitioner_id, slug = sql("SELECT id, slug FROM clinic_practitioner ORDER BY id LIMIT 1")[0]
    admin = Visitor(first)
    assert admin.log_in(ADMIN_USERNAME, ADMIN_PASSWORD).status == 302
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

"""Finding 10 (CORP): no other site may embed the clinic's pages, files or uploads."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "url",
    ["/", "/book/", "/no-such-page/", "/robots.txt", "/static/css/site.css", "/admin/login/"],
)
def test_every_response_forbids_cross_origin_embedding(client, demo, url):
    response = client.get(url)

    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_uploads_and_cached_pages_carry_it_too(settings, tmp_path, page_cache_on, demo):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photo.txt").write_text("an upload")
    client = Client()

    assert client.get("/media/photo.txt")["Cross-Origin-Resource-Policy"] == "same-origin"
    client.get("/about/")
    hit = client.get("/about/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_500_carries_it(settings, db):
    settings.ROOT_URLCONF = "tests.error_urls"

    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"

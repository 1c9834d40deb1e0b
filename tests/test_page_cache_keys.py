"""What a stored page is keyed on: only the query parameters its view uses, and a content
version that filling the cache cannot evict (issue 12, finding 2)."""

import pytest
from django.test import Client

from tests import blog_helpers as h


@pytest.fixture
def small_file_cache(settings, page_cache_on, tmp_path):
    """Django's file cache as the default set-up has it, but full after three pages: every write
    then empties it (CULL_FREQUENCY 0), the worst eviction a cache can do."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "cache",
            "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 0},
        },
    }


JUNK = [
    "utm_source=newsletter&utm_medium=email",
    "fbclid=IwAR0abc",
    "gclid=Cj0KCQ",
    "ref=x1&utm_content=",
    "",
]


@pytest.mark.parametrize("junk", JUNK)
def test_tracking_parameters_get_the_page_stored_without_them(page_cache_on, clinic, client, junk):
    h.post("Ice or heat")
    client.get("/blog/")

    response = client.get(f"/blog/?{junk}")

    assert response["X-Page-Cache"] == "hit"


def test_the_parameters_a_page_uses_still_select_their_own_page(page_cache_on, clinic, client):
    h.many_posts(13)
    first = client.get("/blog/?utm_source=a")
    second = client.get("/blog/?page=2&utm_source=b")
    again = client.get("/blog/?utm_campaign=c&page=2")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "miss"
    assert again["X-Page-Cache"] == "hit" and again.content == second.content
    assert b"Post 12" in second.content and b"Post 12" not in first.content


def test_a_parameter_spelled_with_percent_escapes_is_the_same_parameter(
    page_cache_on, clinic, client
):
    h.many_posts(13)
    client.get("/blog/")

    response = client.get("/blog/?pag%65=2")

    assert response["X-Page-Cache"] == "miss" and b"Post 12" in response.content


def test_a_parameter_another_page_uses_is_junk_here(page_cache_on, clinic, client):
    client.get("/about/")
    assert client.get("/about/?page=2&service=x")["X-Page-Cache"] == "hit"


def test_the_booking_form_keeps_its_preselection_parameters(page_cache_on, demo):
    plain = Client().get("/book/?utm_source=x")
    chosen = Client().get("/book/?service=running-assessment")

    assert chosen["X-Page-Cache"] == "miss"
    assert b'value="running-assessment" selected' in chosen.content
    assert b'value="running-assessment" selected' not in plain.content


def test_a_flood_of_junk_addresses_stores_one_page(small_file_cache, clinic, client):
    client.get("/about/")
    for n in range(40):
        assert client.get(f"/blog/?utm_source=x{n}").status_code == 200

    assert client.get("/blog/?utm_source=y")["X-Page-Cache"] == "hit"
    assert client.get("/about/")["X-Page-Cache"] == "hit"


def test_eviction_never_takes_the_content_version(small_file_cache, clinic, client):
    h.many_posts(30)
    for number in range(1, 4):
        for path in (f"/blog/?page={number}", "/about/", "/services/", "/stories/"):
            client.get(path)
            assert client.get(path)["X-Page-Cache"] == "hit", path

"""Old addresses (clinic.redirects): 301 straight to the current page, never a chain or a loop."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from clinic.models import Redirect
from tests.blog_helpers import post, topic

pytestmark = pytest.mark.django_db
ADD = "/admin/clinic/redirect/add/"


def add(admin_client, old, new, **extra):
    return admin_client.post(ADD, {"old_path": old, "new_path": new, "note": "", **extra})


def test_a_redirect_added_in_the_admin_answers_301(admin_client, client):
    response = add(admin_client, "https://old-site.example/post/Knee%20care?utm=x#top", "/about/")

    assert response.status_code == 302
    assert Redirect.objects.get().old_path == "/post/Knee care?utm=x"
    answer = client.get("/post/Knee%20care?utm=x")
    assert answer.status_code == 301 and answer["Location"] == "/about/"


def test_a_missing_trailing_slash_is_matched_either_way(admin_client, client):
    add(admin_client, "/old-page/", "/about/")

    assert client.get("/old-page")["Location"] == "/about/"
    assert client.get("/old-page/")["Location"] == "/about/"
    assert client.get("/other-page/").status_code == 404


def test_an_existing_page_is_never_redirected(admin_client, client, clinic):
    Redirect.objects.create(old_path="/about/", new_path="/privacy/")

    assert client.get("/about/").status_code == 200


def test_chains_collapse_to_the_current_page(admin_client):
    add(admin_client, "/a", "/b")
    add(admin_client, "/b", "/c")
    add(admin_client, "/x", "/a")

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/a": "/c",
        "/b": "/c",
        "/x": "/c",
    }


def test_a_loop_is_refused_with_a_clear_error(admin_client):
    add(admin_client, "/a", "/b")

    response = add(admin_client, "/b", "/a")
    itself = add(admin_client, "/c", "/c")

    assert response.status_code == itself.status_code == 200
    assert "This would loop: /b would end up redirecting to itself" in response.content.decode()
    assert "This would loop" in itself.content.decode()
    assert Redirect.objects.count() == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("/", "/about/", "The home page is this site"),
        ("/old", "javascript:alert(1)", "Give an address on this site"),
        ("/old", "//evil.example/", "Give an address on this site"),
        ("", "/about/", "This field is required"),
        ("/?s=knee", "/about/", "At the site root only WordPress"),
        ("/?p=1&p=2", "/about/", "At the site root only WordPress"),
    ],
)
def test_bad_addresses_are_form_errors(admin_client, old, new, message):
    response = add(admin_client, old, new)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Redirect.objects.exists()


def test_a_published_post_keeps_its_old_address_when_its_slug_changes(client):
    article = post("Knee care", slug="knee-care")

    article.slug = "looking-after-your-knees"
    article.save()

    response = client.get("/blog/knee-care/")
    assert response.status_code == 301
    assert response["Location"] == "/blog/looking-after-your-knees/"
    assert Redirect.objects.get().note == "The slug changed."


def test_renaming_twice_points_every_old_address_at_the_current_one_and_back_is_no_loop(client):
    article = post("Knee care", slug="one")
    for slug in ("two", "three"):
        article.slug = slug
        article.save()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/blog/one/": "/blog/three/",
        "/blog/two/": "/blog/three/",
    }

    article.slug = "one"
    article.save()

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/blog/two/": "/blog/one/",
        "/blog/three/": "/blog/one/",
    }
    assert client.get("/blog/one/").status_code == 200
    assert client.get("/blog/three/")["Location"] == "/blog/one/"


def test_a_drafts_slug_change_adds_no_redirect():
    draft = post("Draft", slug="draft", status="draft", days_ago=0)

    draft.slug = "still-a-draft"
    draft.save()

    assert not Redirect.objects.exists()


def test_last_used_is_written_at_most_once_an_hour(client):
    redirect = Redirect.objects.create(old_path="/old", new_path="/about/")
    start = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)

    with time_machine.travel(start, tick=False):
        client.get("/old")
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        client.get("/old")
    redirect.refresh_from_db()
    assert redirect.last_used == start

    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        client.get("/old")
    redirect.refresh_from_db()
    assert redirect.last_used == start + timedelta(minutes=61)


def test_the_admin_list_shows_when_each_was_last_used(admin_client, client):
    Redirect.objects.create(old_path="/used", new_path="/about/")
    Redirect.objects.create(old_path="/unused", new_path="/about/")
    client.get("/used")

    page = admin_client.get("/admin/clinic/redirect/").content.decode()

    assert "/used" in page and "/unused" in page
    assert page.count('class="field-last_used">-<') + page.count('field-last_used nowrap">-<') == 1


def test_with_the_page_cache_on_a_redirect_change_shows_at_once(
    page_cache_on, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        redirect = Redirect.objects.create(old_path="/old", new_path="/about/")
    assert client.get("/old")["Location"] == "/about/"

    with django_capture_on_commit_callbacks(execute=True):
        redirect.new_path = "/privacy/"
        redirect.save()

    assert client.get("/old")["Location"] == "/privacy/"


def test_a_stored_home_page_never_answers_a_wordpress_root_address(
    page_cache_on, django_capture_on_commit_callbacks, client, clinic
):
    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.create(old_path="/?p=42", new_path="/about/")
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"

    response = client.get("/?p=42")

    assert response.status_code == 301 and response["Location"] == "/about/"
    assert client.get("/?utm_source=x")["X-Page-Cache"] == "hit"  # junk still finds the page


def test_an_old_address_is_stored_with_the_pages_and_used_marked_once(
    page_cache_on, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        redirect = Redirect.objects.create(old_path="/old-post", new_path="/about/")

    first, second = client.get("/old-post"), client.get("/old-post")

    assert first.status_code == second.status_code == 301
    assert first["Location"] == second["Location"] == "/about/"
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "public" in second["Cache-Control"]
    redirect.refresh_from_db()
    assert redirect.last_used is not None


def test_junk_parameters_on_an_old_address_still_redirect_but_are_never_stored(
    page_cache_on, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.create(old_path="/old-post", new_path="/about/")

    for number in range(2):
        response = client.get(f"/old-post?utm_source=mail{number}")
        assert response.status_code == 301 and response["Location"] == "/about/"
        assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]


def test_a_missing_page_and_the_https_redirect_are_never_stored(
    page_cache_on, django_capture_on_commit_callbacks, client, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.create(old_path="/old-post", new_path="/about/")
    assert client.get("/no-such-page").status_code == 404
    assert "X-Page-Cache" not in client.get("/no-such-page")

    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # SecurityMiddleware reads the setting when it is made
    to_https = client.get("/old-post")

    assert to_https.status_code == 301 and to_https["Location"].startswith("https://")
    assert "X-Page-Cache" not in to_https and "private" in to_https["Cache-Control"]
    assert client.get("/old-post", secure=True)["Location"] == "/about/"


def test_a_wordpress_root_address_with_junk_is_stored_as_its_plain_link(
    page_cache_on, django_capture_on_commit_callbacks, client, clinic
):
    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.create(old_path="/?p=42", new_path="/about/")

    with_junk = client.get("/?p=42&utm_source=mail")
    plain = client.get("/?p=42")

    assert with_junk["Location"] == plain["Location"] == "/about/"
    assert (with_junk["X-Page-Cache"], plain["X-Page-Cache"]) == ("miss", "hit")
    assert client.get("/?p=43").status_code == 200


def test_a_wordpress_query_address_at_the_root_redirects(client, clinic):
    Redirect.objects.create(old_path="/?p=42", new_path="/about/")

    assert client.get("/?p=42")["Location"] == "/about/"
    assert client.get("/?p=43").status_code == 200


def test_editors_manage_redirects(client):
    editor = get_user_model().objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    response = add(client, "/old", "/about/")

    assert response.status_code == 302 and Redirect.objects.filter(old_path="/old").exists()


def test_a_topics_slug_change_keeps_its_old_address(client):
    running = topic("Running", "running")

    running.slug = "running-injuries"
    running.save()

    assert client.get("/blog/topics/running/")["Location"] == "/blog/topics/running-injuries/"

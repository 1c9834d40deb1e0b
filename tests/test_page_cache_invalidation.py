"""Who and what empties the page cache: committed changes that show on a page, whoever's URL they
came through; never a stranger's request (issue 12, finding 1)."""

import re

import pytest
from django.test import Client

from blog.models import Post
from testimonials.models import Status
from testimonials.models import Testimonial as Story
from tests import blog_helpers as h
from tests.testimonials_support import share_data

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def owner(db, django_user_model):
    user = django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-owner-1")
    client = Client()
    client.force_login(user)
    return client


def stored(client, path):
    """Read `path` until it is stored; the next anonymous read is then a hit if nothing changed."""
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"


def test_a_logged_out_post_to_the_admin_does_not_empty_the_cache(
    page_cache_on, clinic, service, client, django_capture_on_commit_callbacks
):
    stored(client, "/services/")
    stranger = Client(enforce_csrf_checks=True)
    token = TOKEN.search(stranger.get("/book/").content.decode()).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = stranger.post(
            "/admin/clinic/service/add/", {"csrfmiddlewaretoken": token, "name": "x"}
        )

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/services/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("spam", [False, True])
def test_a_story_sent_through_the_site_does_not_empty_the_cache(
    page_cache_on, clinic, practitioner, client, django_capture_on_commit_callbacks, spam
):
    stored(client, "/stories/")
    data = share_data(practitioner=str(practitioner.pk), website="http://spam" if spam else "")

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/stories/share/", data)

    assert response.status_code == 302
    assert Story.objects.get().status == (Status.REJECTED if spam else Status.PENDING)
    assert client.get("/stories/")["X-Page-Cache"] == "hit"


def test_editing_a_story_nobody_can_see_does_not_empty_the_cache(
    page_cache_on, clinic, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/stories/share/", share_data())
    stored(client, "/stories/")
    story = Story.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        story.display_name = "Sam C."
        story.save()

    assert client.get("/stories/")["X-Page-Cache"] == "hit"


def test_a_story_being_published_and_withdrawn_shows_at_once(
    settings, page_cache_on, clinic, owner, client, django_capture_on_commit_callbacks
):
    settings.TESTIMONIALS_POLICY = "standard"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/stories/share/", share_data(text="Parking was easy and staff kind."))
    story = Story.objects.get()
    stored(client, "/stories/")

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            "/admin/testimonials/testimonial/",
            {"action": "approve_non_clinical", "_selected_action": [story.pk]},
        )
    page = client.get("/stories/")
    assert page["X-Page-Cache"] == "miss" and "Parking was easy" in page.content.decode()
    assert client.get("/stories/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            "/admin/testimonials/testimonial/",
            {"action": "withdraw", "_selected_action": [story.pk]},
        )
    page = client.get("/stories/")
    assert page["X-Page-Cache"] == "miss" and "Parking was easy" not in page.content.decode()


@pytest.mark.urls("tests.page_cache_moved_admin_urls")
@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_bulk_actions_empty_the_cache_wherever_the_admin_lives(
    page_cache_on, clinic, owner, client, django_capture_on_commit_callbacks, action
):
    status = Post.Status.DRAFT if action == "publish" else Post.Status.PUBLISHED
    post = h.post("Knee taping basics", status=status, days_ago=1)
    stored(client, "/blog/")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            "/staff-7f3a/blog/post/", {"action": action, "_selected_action": [post.pk]}
        )

    assert response.status_code == 302
    page = client.get("/blog/")
    assert page["X-Page-Cache"] == "miss"
    assert ("Knee taping basics" in page.content.decode()) is (action == "publish")


@pytest.mark.urls("tests.page_cache_moved_admin_urls")
def test_an_admin_edit_empties_the_cache_wherever_the_admin_lives(
    page_cache_on, clinic, service, owner, client, django_capture_on_commit_callbacks
):
    stored(client, "/services/")

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(f"/staff-7f3a/clinic/service/{service.pk}/delete/", {"post": "yes"}, follow=True)

    page = client.get("/services/")
    assert page["X-Page-Cache"] == "miss" and service.name not in page.content.decode()


def test_a_change_not_committed_yet_does_not_empty_the_cache(
    page_cache_on, clinic, service, client
):
    stored(client, "/services/")
    service.name = "Renamed"
    service.save()  # the test's transaction never commits
    assert client.get("/services/")["X-Page-Cache"] == "hit"

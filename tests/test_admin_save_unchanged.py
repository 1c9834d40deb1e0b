"""Staff open a record in the admin and press Save without changing anything: it must save.

The test client sends what the rendered change form holds (tests/admin_pages.py reads it as a
browser would), so this catches the class of defect without Chromium, for every record;
tests/browser/test_admin_save_browser.py saves one record of each model and form shape in a real
browser, with the widgets' scripts running.
"""

import pytest

from blog.models import Post
from tests import blog_helpers
from tests.admin_pages import change_pages, form_data, send_an_enquiry

ARTICLE_SLUG = "what-runners-need-for-perfect-spine-alignment"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def save_unchanged(client, url, form_id):
    """Open the change page, press "Save and continue editing"; the page it ends on."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    data = form_data(page.text, form_id) | {"_continue": ["Save and continue editing"]}
    return client.post(url, data, follow=True)


def assert_saved(response, label):
    assert response.status_code == 200, f"{label}: HTTP {response.status_code}"
    errors = response.context.get("errors") if response.context else None
    assert not errors, f"{label}: {errors}"
    assert "Please correct the error" not in response.text, label
    assert "was changed successfully" in response.text, label


def test_the_demo_article_with_its_hero_image_saves_unchanged(demo, admin_client):
    post = Post.objects.get(slug=ARTICLE_SLUG)
    assert post.hero_image and post.hero_renditions
    # Stored, so loading the post does not read the image from storage to measure it.
    assert Post.objects.filter(pk=post.pk, hero_width=1600, hero_height=900).exists()
    before = (post.hero_image.name, post.hero_width, post.hero_height, post.hero_renditions)

    response = save_unchanged(admin_client, f"/admin/blog/post/{post.pk}/change/", "post_form")

    assert_saved(response, post.title)
    post.refresh_from_db()
    assert (post.hero_image.name, post.hero_width, post.hero_height, post.hero_renditions) == before
    assert post.hero_image.storage.exists(post.hero_image.name)


def test_a_post_without_an_image_saves_unchanged(demo, admin_client):
    post = blog_helpers.post("No picture")

    response = save_unchanged(admin_client, f"/admin/blog/post/{post.pk}/change/", "post_form")

    assert_saved(response, post.title)
    post.refresh_from_db()
    assert not post.hero_image and post.hero_renditions == {}


def test_every_record_of_every_admin_model_saves_unchanged(demo, admin_client, admin_user):
    blog_helpers.post("No picture")
    send_an_enquiry()
    pages, skipped = change_pages(admin_user)
    posts = [page.obj for page in pages if isinstance(page.obj, Post)]
    assert any(p.hero_image for p in posts) and any(not p.hero_image for p in posts)

    failures = []
    for page in pages:
        response = save_unchanged(admin_client, page.url, f"{page.obj._meta.model_name}_form")
        try:
            assert_saved(response, page.label)
        except AssertionError as error:
            failures.append(str(error))

    assert failures == [], "\n".join(failures)
    # Only admins that refuse a change are skipped, each with the reason the admin gives.
    assert all("has_change_permission is False" in reason for reason in skipped.values())
    assert {"booking.enquiry", "clinic.practitioner", "clinic.clinic"} <= {
        page.obj._meta.label_lower for page in pages
    }

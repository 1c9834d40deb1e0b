"""Staff editing the demo content in a real browser: every kind of change form saves unchanged, and a
new image replaces the old one on the site."""

import re
from contextlib import nullcontext
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from blog.models import Post
from clinic.models import Practitioner
from tests import blog_helpers
from tests.admin_pages import change_pages, one_page_per_form_shape, send_an_enquiry
from tests.browser.conftest import sign_in

ARTICLE_SLUG = "what-runners-need-for-perfect-spine-alignment"


@pytest.fixture
def staff_page(site, page_factory):
    """A browser page signed in to the admin as the owner (superuser); the user is `page.user`."""
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    page = page_factory()
    sign_in(page, site, "boss", "pw-boss-123")
    page.user = user
    page.bad_responses = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and page.bad_responses.append(f"{response.status} {response.url}")
        ),
    )
    return page


def save_and_continue(page):
    """Press "Save and continue editing"; the HTTP status of the page it ends on."""
    with page.expect_navigation() as navigation:
        page.click("input[name=_continue]")
    return navigation.value.status


def checklist_answered(page, has_checklist=True):
    """Around an action that loads a post's change form or edits it: wait for the answer to the
    content checklist's request it sets off (static/js/content-checks.js). Saving or leaving the
    page while that request is in flight aborts it, or has it read the post while the save writes
    it (the in-memory test database then answers "table is locked")."""
    if not has_checklist:
        return nullcontext()
    return page.expect_response(lambda response: response.url.endswith("/admin/blog/post/checks/"))


def stored(name):
    return (Path(settings.MEDIA_ROOT) / name).exists()


def rendition_names(post):
    return {name for sizes in post.hero_renditions.values() for _width, name in sizes}


def test_every_kind_of_change_form_of_every_admin_model_saves_unchanged(site, staff_page, client):
    """One record of each model and form shape (a post with a hero image has a "clear" box one
    without lacks; an inline's rows are one shape): the browser runs each form's widgets and
    scripts. Every record's data is saved through the test client in test_admin_save_unchanged."""
    blog_helpers.post("No picture")
    send_an_enquiry()
    pages, skipped = change_pages(staff_page.user)
    client.force_login(staff_page.user)
    pages = one_page_per_form_shape(pages, client)
    posts = [page.obj for page in pages if isinstance(page.obj, Post)]
    assert any(p.hero_image for p in posts) and any(not p.hero_image for p in posts)

    failures = []
    for record in pages:
        has_checklist = isinstance(record.obj, Post)
        with checklist_answered(staff_page, has_checklist):
            staff_page.goto(site + record.url)
        with checklist_answered(staff_page, has_checklist):
            status = save_and_continue(staff_page)
        problems = staff_page.locator(".errornote, .errorlist").all_inner_texts()
        success = staff_page.locator(".messagelist .success").all_inner_texts()
        if status != 200 or problems or not any("was changed successfully" in s for s in success):
            failures.append(f"{record.label}: HTTP {status} {problems or success}")

    assert failures == [], "\n".join(failures)
    assert all("has_change_permission is False" in reason for reason in skipped.values())
    assert staff_page.bad_responses == []
    # A failed load is in bad_responses (or is the admin's missing favicon); anything else counts.
    assert [
        e for e in staff_page.console_errors if not e.startswith("Failed to load resource")
    ] == []


def test_a_new_hero_image_replaces_the_old_one_on_the_site(site, staff_page, tmp_path):
    post = Post.objects.get(slug=ARTICLE_SLUG)
    old_files = {post.hero_image.name, *rendition_names(post)}
    assert all(stored(name) for name in old_files)
    upload = tmp_path / "track-at-dawn.png"
    upload.write_bytes(blog_helpers.image_bytes(1200, 600, colour=(200, 90, 20)))

    with checklist_answered(staff_page):
        staff_page.goto(f"{site}/admin/blog/post/{post.pk}/change/")
    with checklist_answered(staff_page):
        staff_page.set_input_files("#id_hero_image", upload)
    with checklist_answered(staff_page):
        assert save_and_continue(staff_page) == 200
    expect(staff_page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    post.refresh_from_db()
    # Named after its content (a storage suffix when a run before left the same file).
    assert re.fullmatch(r"blog/[0-9a-f]{32}(_\w{7})?\.jpg", post.hero_image.name)
    stem = Path(post.hero_image.name).stem
    assert not any(stored(name) for name in old_files)
    staff_page.goto(site + post.get_absolute_url())
    hero = staff_page.locator("picture.article-image img")
    expect(hero).to_have_attribute("width", "1200")
    expect(hero).to_have_attribute("srcset", post.hero_srcset_jpeg)
    source = staff_page.locator("picture.article-image source[type='image/webp']")
    expect(source).to_have_attribute("srcset", post.hero_srcset_webp)
    assert all(f"/{stem}-" in name for name in rendition_names(post))
    hero.scroll_into_view_if_needed()
    staff_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=hero.element_handle()
    )
    assert f"/{stem}-" in hero.evaluate("img => img.currentSrc")
    assert staff_page.failed_requests == [] and staff_page.bad_responses == []


def test_a_new_practitioner_photo_replaces_the_old_one_on_the_site(site, staff_page, tmp_path):
    practitioner = Practitioner.objects.get(slug="joey-lee")
    old_name = practitioner.photo.name
    old_renditions = [
        name for sizes in practitioner.photo_renditions.values() for _w, name in sizes
    ]
    assert stored(old_name) and all(stored(name) for name in old_renditions)
    upload = tmp_path / "joey-portrait.jpg"
    upload.write_bytes(blog_helpers.image_bytes(400, 400, "JPEG", colour=(30, 120, 60)))

    staff_page.goto(f"{site}/admin/clinic/practitioner/{practitioner.pk}/change/")
    staff_page.set_input_files("#id_photo", upload)
    assert save_and_continue(staff_page) == 200
    expect(staff_page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    practitioner.refresh_from_db()
    assert re.fullmatch(r"practitioners/[0-9a-f]{32}(_\w{7})?\.jpg", practitioner.photo.name)
    assert stored(practitioner.photo.name) and not stored(old_name)
    assert not any(stored(name) for name in old_renditions)
    staff_page.goto(site + practitioner.get_absolute_url())
    photo = staff_page.locator("img.avatar").first
    expect(photo).to_have_attribute("src", practitioner.photo_url)
    expect(photo).to_have_attribute("srcset", practitioner.photo_srcset_jpeg)
    staff_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert staff_page.failed_requests == [] and staff_page.bad_responses == []

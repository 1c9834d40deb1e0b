"""A new image uploaded in the admin replaces the old one: new renditions, the old files gone."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from blog.models import Post
from clinic.models import Practitioner
from tests import blog_helpers
from tests.admin_pages import form_data

ARTICLE_SLUG = "what-runners-need-for-perfect-spine-alignment"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return {path.relative_to(media_root).as_posix() for path in media_root.rglob("*.*")}


def rendition_names(post):
    return {name for sizes in post.hero_renditions.values() for _width, name in sizes}


def photo_rendition_names(practitioner):
    return {name for sizes in practitioner.photo_renditions.values() for _width, name in sizes}


def post_change_form(client, url, form_id, **changes):
    """Submit the change form as rendered, with `changes` (a value of None leaves a field out)."""
    data = form_data(client.get(url).text, form_id) | {"_continue": "Save and continue editing"}
    data |= changes
    return client.post(url, {k: v for k, v in data.items() if v is not None}, follow=True)


def test_a_new_hero_image_replaces_the_old_one_and_its_renditions(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    post = Post.objects.get(slug=ARTICLE_SLUG)
    old_files = {post.hero_image.name, *rendition_names(post)}
    assert old_files <= stored_files(media_root)
    upload = SimpleUploadedFile(
        "new-hero.png", blog_helpers.image_bytes(1000, 500), content_type="image/png"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(
            admin_client, f"/admin/blog/post/{post.pk}/change/", "post_form", hero_image=upload
        )

    assert "was changed successfully" in response.text
    post.refresh_from_db()
    assert re.fullmatch(r"blog/[0-9a-f]{32}\.jpg", post.hero_image.name)
    assert (post.hero_width, post.hero_height) == (1000, 500)
    assert [width for width, _name in post.hero_renditions["webp"]] == [480, 800, 1000]
    new_files = {post.hero_image.name, *rendition_names(post)}
    assert new_files <= stored_files(media_root)
    assert old_files.isdisjoint(stored_files(media_root))
    page = admin_client.get(post.get_absolute_url()).text
    assert all(f"/media/{name}" in page for name in rendition_names(post))


def test_clearing_the_hero_image_deletes_it_and_its_renditions(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    post = Post.objects.get(slug=ARTICLE_SLUG)
    old_files = {post.hero_image.name, *rendition_names(post)}

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(
            admin_client,
            f"/admin/blog/post/{post.pk}/change/",
            "post_form",
            **{"hero_image-clear": "on"},
        )

    assert "was changed successfully" in response.text
    post.refresh_from_db()
    assert not post.hero_image and post.hero_renditions == {}
    assert old_files.isdisjoint(stored_files(media_root))


def test_a_refused_upload_keeps_the_old_image_and_its_files(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    post = Post.objects.get(slug=ARTICLE_SLUG)
    before = stored_files(media_root)
    not_an_image = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(
            admin_client,
            f"/admin/blog/post/{post.pk}/change/",
            "post_form",
            hero_image=not_an_image,
        )

    assert response.status_code == 200 and "Please correct the error" in response.text
    post.refresh_from_db()
    assert post.hero_image.name in before and stored_files(media_root) == before


def test_a_new_practitioner_photo_replaces_the_old_file(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    practitioner = Practitioner.objects.get(slug="joey-lee")
    old_name = practitioner.photo.name
    old_renditions = photo_rendition_names(practitioner)
    upload = SimpleUploadedFile(
        "joey-2026.jpg", blog_helpers.image_bytes(300, 300, "JPEG"), content_type="image/jpeg"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change_form(
            admin_client,
            f"/admin/clinic/practitioner/{practitioner.pk}/change/",
            "practitioner_form",
            photo=upload,
        )

    assert "was changed successfully" in response.text
    practitioner.refresh_from_db()
    assert re.fullmatch(r"practitioners/[0-9a-f]{32}\.jpg", practitioner.photo.name)
    assert Path(practitioner.photo.path).exists()
    assert old_name not in stored_files(media_root)
    assert old_renditions.isdisjoint(stored_files(media_root))
    page = admin_client.get(practitioner.get_absolute_url()).text
    assert all(f"/media/{name}" in page for name in photo_rendition_names(practitioner))


def test_a_file_another_record_still_uses_is_kept(
    demo, admin_client, media_root, django_capture_on_commit_callbacks
):
    jason, joey = Practitioner.objects.order_by("slug")
    Practitioner.objects.filter(pk=joey.pk).update(photo=jason.photo.name)
    upload = SimpleUploadedFile("joey.png", blog_helpers.image_bytes(), content_type="image/png")

    with django_capture_on_commit_callbacks(execute=True):
        post_change_form(
            admin_client,
            f"/admin/clinic/practitioner/{joey.pk}/change/",
            "practitioner_form",
            photo=upload,
        )

    assert jason.photo.name in stored_files(media_root)

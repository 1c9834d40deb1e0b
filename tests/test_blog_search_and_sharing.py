"""The optional SEO description and social image of an article: validated like the hero image,
resized, and used by the page's description and Open Graph tags."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains, assertFormError

from blog.models import Post
from tests import blog_helpers as h
from tests import crawl


@pytest.fixture
def boss_client(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


def form(**overrides):
    return {
        "title": "Hill repeats",
        "slug": "hill-repeats",
        "summary": "Short hills, walked down, twice a week.",
        "body": "<p>Text.</p>",
        "hero_image_alt": "",
        "seo_description": "",
        "social_image_alt": "",
        "author": str(h.practitioner().pk),
        "reviewed_by": "",
        "last_reviewed": "",
        "status": "published",
        "published_at_0": "2026-01-05",
        "published_at_1": "09:00",
        "publish_reason": "",
        "references": "",
        "disclaimer": "",
        "_save": "Save",
    } | overrides


def jpeg(width=1200, height=630):
    return SimpleUploadedFile("share.jpg", h.image_bytes(width, height, "JPEG"), "image/jpeg")


def test_a_social_image_needs_a_description(boss_client, clinic):
    response = boss_client.post("/admin/blog/post/add/", form(social_image=jpeg()))

    assertFormError(
        response.context["adminform"].form,
        "social_image_alt",
        "Describe the image for people who cannot see it.",
    )
    assert not Post.objects.exists()


def test_a_social_image_that_is_not_an_image_is_refused(boss_client, clinic):
    fake = SimpleUploadedFile("share.jpg", b"<?php echo 1; ?>", "image/jpeg")

    response = boss_client.post(
        "/admin/blog/post/add/", form(social_image=fake, social_image_alt="A hill")
    )

    assert "social_image" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_the_social_image_and_seo_description_are_what_the_page_shares(boss_client, client, clinic):
    boss_client.post(
        "/admin/blog/post/add/",
        form(
            social_image=jpeg(),
            social_image_alt="A runner on a steep hill",
            seo_description="How to run hills without hurting your knees: a plan for beginners.",
        ),
    )
    post = Post.objects.get()
    assert [width for width, _ in post.social_renditions["jpeg"]] == [480, 800, 1200]

    response = client.get(post.get_absolute_url())

    (og_image,) = crawl.Page.parse("", 200, response.text).meta(property="og:image")
    assert re.fullmatch(
        r"http://testserver/media/blog/renditions/[0-9a-f]{32}[^/]*-1200w\.jpg", og_image
    )
    assertContains(
        response, '<meta property="og:image:alt" content="A runner on a steep hill">', html=True
    )
    assertContains(
        response,
        '<meta name="description" content="How to run hills without hurting your knees: a plan '
        'for beginners.">',
        html=True,
    )
    assertContains(response, "Short hills, walked down")  # the summary is still the lead


def test_without_them_the_summary_and_hero_image_are_shared(client, clinic):
    post = h.post("Plain", summary="The plain summary.")

    response = client.get(post.get_absolute_url())
    html = response.text

    assertContains(response, '<meta name="description" content="The plain summary.">', html=True)
    assert 'property="og:image:alt"' not in html

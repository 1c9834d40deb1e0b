"""The blog's invariants: database constraints, publication states, derived fields."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from blog import queries
from blog.models import Post
from tests import blog_helpers as h


def violates(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            title="Bad",
            slug=fields.pop("slug", "bad"),
            summary="s",
            author=h.practitioner(),
            **fields,
        )


def test_a_published_post_needs_a_publish_date(db):
    violates(status=Post.Status.PUBLISHED, published_at=None)


def test_slugs_are_unique(db):
    h.post("Same", slug="same")
    violates(slug="same")


def test_an_image_needs_its_description(db):
    violates(hero_image=SimpleUploadedFile("x.png", h.image_bytes()), hero_image_alt="")


def test_a_review_needs_its_date(db):
    violates(reviewed_by=h.practitioner("jason-lee", "Jason Lee"), last_reviewed=None)


def test_status_is_one_of_the_choices(db):
    violates(status="archived")


def test_form_validation_explains_the_same_rules(db):
    post = Post(
        title="T",
        slug="t",
        summary="s",
        author=h.practitioner(),
        hero_image=SimpleUploadedFile("x.png", h.image_bytes()),
        reviewed_by=h.practitioner("jason-lee", "Jason Lee"),
    )
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert set(error.value.message_dict) >= {"hero_image_alt", "last_reviewed"}


def test_publishing_without_a_date_means_now(db):
    post = Post(title="Now", slug="now", summary="s", author=h.practitioner(), status="published")
    post.full_clean()
    assert abs(post.published_at - timezone.now()) < timedelta(seconds=5)


def test_states(db):
    assert h.post("Draft", status=Post.Status.DRAFT, days_ago=0).state == "Draft"
    assert h.post("Live").state == "Published"
    soon = h.post("Soon", published_at=timezone.now() + timedelta(days=1))
    assert soon.state == "Scheduled" and not soon.is_public


def test_published_queryset_and_latest_posts(db):
    h.post("Old", days_ago=5)
    h.post("New", days_ago=1)
    h.post("Draft", status=Post.Status.DRAFT, days_ago=0)
    h.post("Future", published_at=timezone.now() + timedelta(minutes=1))

    assert [p.title for p in Post.objects.published().newest_first()] == ["New", "Old"]
    assert [p.title for p in queries.latest_posts(1)] == ["New"]


def test_derived_fields_follow_the_body(db):
    post = h.post("Derived", body="<h2>One</h2><p>Text</p>")
    post.body = "<h2>Two</h2><h3>Three</h3>"
    post.save(update_fields=["body"])
    post.refresh_from_db()

    assert [item["id"] for item in post.toc] == ["two", "three"]
    assert '<h2 id="two">Two</h2>' in post.body_html


def test_references_one_per_line(db):
    post = h.post("Refs", references="First source\n\n  Second https://example.com/x  \n")
    assert post.reference_list == ["First source", "Second https://example.com/x"]


def test_last_reviewed_is_a_date(db):
    reviewer = h.practitioner("jason-lee", "Jason Lee")
    post = h.post("Reviewed", reviewed_by=reviewer, last_reviewed=date(2026, 2, 17))
    post.refresh_from_db()
    assert post.last_reviewed == date(2026, 2, 17)

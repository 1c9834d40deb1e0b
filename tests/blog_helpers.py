"""Small builders shared by the blog's test modules (plain functions, no fixtures)."""

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from blog.models import Post, Topic
from clinic.models import Practitioner


def practitioner(slug="joey-lee", name="Joey Lee", role="Chiropractor"):
    return Practitioner.objects.get_or_create(
        slug=slug, defaults={"name": name, "role": role, "qualifications": "M.Chiro"}
    )[0]


def topic(name="Running", slug="running"):
    return Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def post(title="A post", slug=None, *, days_ago=1, status=Post.Status.PUBLISHED, **fields):
    fields.setdefault("author", practitioner())
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("body", f"<h2>First part</h2><p>Text of {title}.</p><h2>Second part</h2>")
    published_at = fields.pop("published_at", timezone.now() - timedelta(days=days_ago))
    topics = fields.pop("topics", [])
    instance = Post.objects.create(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        status=status,
        published_at=published_at if status == Post.Status.PUBLISHED or days_ago else None,
        **fields,
    )
    if topics:
        instance.topics.set(topics)
    return instance


def many_posts(count, *, topics=()):
    """`count` published posts in one go (bulk_create), each in every topic given."""
    author = practitioner()
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            title=f"Post {n}",
            slug=f"post-{n}",
            summary="A summary.",
            body="<p>Body.</p>",
            body_html="<p>Body.</p>",
            author=author,
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(count)
    )
    through = Post.topics.through
    through.objects.bulk_create(through(post_id=p.pk, topic_id=t.pk) for p in posts for t in topics)
    return posts


def image_bytes(width=64, height=48, image_format="PNG", colour=(15, 76, 92)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format=image_format)
    return buffer.getvalue()


def post_form_data(**overrides):
    """The post admin form as a browser sends it for a new draft (every field, blank where
    optional); `overrides` changes or adds fields."""
    data = {
        "title": "New article",
        "slug": "new-article",
        "summary": "About something.",
        "body": "<p>Text.</p>",
        "hero_image_alt": "",
        "seo_description": "",
        "social_image_alt": "",
        "author": str(practitioner().pk),
        "reviewed_by": "",
        "last_reviewed": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "publish_reason": "",
        "references": "",
        "disclaimer": "General information.",
        "_save": "Save",
    }
    return data | overrides

"""Publishing posts: one rule for the admin form, the bulk "publish" action and scheduling.

A post the advertising check flags goes out (now, or at a scheduled time) only with a reason on
record; each such publication is logged with who, when, the flagged words and the reason, as
moderation decisions of patient stories are.
"""

import reversion
from django.db import transaction
from django.utils import timezone

from blog.models import Post, PublishDecision
from clinic import page_cache


def record_decision(post, *, by, via):
    """Log a flagged post going out with its reason, unless the same words and reason are
    already on record (saving the post again changes nothing)."""
    if not (post.status == Post.Status.PUBLISHED and post.is_flagged):
        return None
    latest = post.publish_decisions.first()
    if latest and (latest.flagged_terms, latest.reason) == (
        post.advertising_terms,
        post.publish_reason,
    ):
        return None
    return PublishDecision.objects.create(
        post=post,
        flagged_terms=post.advertising_terms,
        reason=post.publish_reason,
        via=via,
        decided_by=by if by is not None and by.is_authenticated else None,
    )


def keep_versions(pks, comment):
    """In the admin's revision (a bulk action's update() saves nothing a version would see):
    the posts as they are now, so their history shows the change too."""
    if pks and reversion.is_active():
        for post in Post.objects.filter(pk__in=pks):
            reversion.add_to_revision(post)
        reversion.set_comment(comment)


@transaction.atomic
def publish(posts, *, by):
    """Publish `posts` (now, or at their scheduled time). Returns (published, refused): refused
    posts are flagged without a reason and stay as they were."""
    now = timezone.now()
    published, refused = [], []
    chosen = Post.objects.filter(pk__in=list(posts.values_list("pk", flat=True)))
    for post in chosen.exclude(status=Post.Status.PUBLISHED):
        post.status = Post.Status.PUBLISHED
        if post.publication_problem():
            refused.append(post)
            continue
        published.append(post)
    pks = [post.pk for post in published]
    Post.objects.filter(pk__in=pks, published_at__isnull=True).update(published_at=now)
    Post.objects.filter(pk__in=pks).update(status=Post.Status.PUBLISHED, updated_at=now)
    for post in published:
        record_decision(post, by=by, via=PublishDecision.Via.BULK)
    keep_versions(pks, "Published with the list's “Publish” action.")
    if pks:
        page_cache.bump()  # update() sends no signal
    return published, refused


@transaction.atomic
def unpublish(posts):
    """Move `posts` back to draft; returns how many changed."""
    pks = list(posts.exclude(status=Post.Status.DRAFT).values_list("pk", flat=True))
    Post.objects.filter(pk__in=pks).update(status=Post.Status.DRAFT, updated_at=timezone.now())
    keep_versions(pks, "Moved back to draft with the list's “Unpublish” action.")
    if pks:
        page_cache.bump()
    return len(pks)

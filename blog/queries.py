"""What other apps (the home page) may ask of the blog."""

from django.db.models import Count, Q

from blog.models import Post


def latest_posts(limit):
    """The newest published posts, for the home page."""
    return list(Post.objects.published().for_list().newest_first()[:limit])


def posts_by(author, limit):
    """An author's newest published posts, for "More from <author>" on their page."""
    return list(Post.objects.published().by_author(author).for_list().newest_first()[:limit])


def related_posts(post, limit):
    """Posts to read next: those sharing the most topics with `post` first, then the newest.
    Two queries whatever the number of posts or topics (the posts, their topics)."""
    topic_ids = [topic.pk for topic in post.topics.all()]
    others = Post.objects.published().exclude(pk=post.pk).for_list()
    if topic_ids:
        shared = Count("topics", filter=Q(topics__in=topic_ids), distinct=True)
        others = others.annotate(shared=shared).order_by("-shared", "-published_at", "-pk")
    else:
        others = others.newest_first()
    return list(others[:limit])

"""What other apps (the home page) may ask of the blog."""

from blog.models import Post


def latest_posts(limit):
    """The newest published posts, for the home page."""
    return list(Post.objects.published().for_list().newest_first()[:limit])

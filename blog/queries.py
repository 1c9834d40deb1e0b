"""What other apps (the home page) may ask of the blog."""


def latest_posts(limit):
    """The newest published posts, for the home page. Empty until the blog has posts."""
    return []

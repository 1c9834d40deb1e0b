"""What other apps (the home page) may ask of the testimonials app."""


def featured_stories(limit):
    """Featured patient stories the publication policy allows. Empty until there are any."""
    return []

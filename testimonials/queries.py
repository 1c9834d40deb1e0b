"""What other apps (the home page) may ask of the testimonials app."""

from testimonials.models import Testimonial


def featured_stories(limit):
    """Up to `limit` featured stories the publication policy allows, in one query."""
    return list(Testimonial.objects.publishable().featured().for_display()[:limit])

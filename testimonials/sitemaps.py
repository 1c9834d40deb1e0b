from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from testimonials.models import Testimonial


class StoriesSitemap(Sitemap):
    """The stories page and the form to share one; they change when a story they may show does."""

    def items(self):
        return ["testimonials:story_list", "testimonials:story_share"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Testimonial.objects.publishable().aggregate(latest=Max("updated_at"))["latest"]

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from blog.sitemaps import PostSitemap, TopicSitemap
from clinic.models import Clinic, Practitioner, Service
from testimonials.sitemaps import StoriesSitemap


class ClinicPagesSitemap(Sitemap):
    """The clinic's fixed pages; they change when the clinic record does."""

    def items(self):
        return ["clinic:home", "clinic:about", "clinic:services", "clinic:privacy"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Clinic.objects.values_list("updated_at", flat=True).first()


class PractitionerSitemap(Sitemap):
    def items(self):
        return Practitioner.objects.active()

    def lastmod(self, practitioner):
        return practitioner.updated_at


class ServiceSitemap(Sitemap):
    def items(self):
        return Service.objects.active()

    def lastmod(self, service):
        return service.updated_at


SITEMAPS = {
    "pages": ClinicPagesSitemap,
    "practitioners": PractitionerSitemap,
    "services": ServiceSitemap,
    "stories": StoriesSitemap,
    "articles": PostSitemap,
    "topics": TopicSitemap,
}

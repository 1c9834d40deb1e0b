from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from blog.sitemaps import PostSitemap, TopicSitemap
from clinic.models import Clinic, Practitioner, Service
from testimonials.sitemaps import StoriesSitemap


class ClinicUpdatedSitemap(Sitemap):
    """lastmod is the clinic record's edit time, read once per sitemap (not once per item)."""

    @cached_property
    def clinic_updated_at(self):
        return Clinic.objects.values_list("updated_at", flat=True).first()

    def lastmod(self, item):
        return self.clinic_updated_at


class ClinicPagesSitemap(ClinicUpdatedSitemap):
    """The site's fixed pages and the article list and booking page (stories: testimonials).

    They change when the clinic record does: every page shows its facts.
    """

    def items(self):
        return [
            "clinic:home",
            "clinic:about",
            "clinic:services",
            "clinic:privacy",
            "blog:post_list",
            "booking:enquiry",
        ]

    def location(self, item):
        return reverse(item)


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

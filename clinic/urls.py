from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from clinic import sitemaps, two_factor, views
from clinic.page_cache import public_page

clinic_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("about/<slug:slug>/", views.PractitionerDetailView.as_view(), name="practitioner"),
    path("services/", views.ServiceListView.as_view(), name="services"),
    path("services/<slug:slug>/", views.ServiceDetailView.as_view(), name="service"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
]

two_factor_patterns = [
    path("verify/", two_factor.verify, name="verify"),
    path("setup/", two_factor.setup, name="setup"),
    path("recovery-codes/", two_factor.recovery_codes, name="recovery_codes"),
]

urlpatterns = [
    path("", include((clinic_patterns, "clinic"))),
    path("blog/", include("blog.urls")),
    path("stories/", include("testimonials.urls")),
    path("book/", include("booking.urls")),
    path("admin/two-factor/", include((two_factor_patterns, "two_factor"))),
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon_ico, name="favicon"),
    path("healthz", views.health, name="health"),
    path(
        "sitemap.xml",
        public_page("p")(sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", views.serve_media))

admin.site.site_header = "Westside Sports Chiro admin"
admin.site.site_title = "Westside Sports Chiro admin"
admin.site.index_title = "Run the clinic's website"
# The app sidebar takes a third of a laptop screen from the enquiry inbox; the index lists apps.
admin.site.enable_nav_sidebar = False

handler400 = "clinic.error_views.bad_request"
handler403 = "clinic.error_views.permission_denied"
handler404 = "clinic.error_views.page_not_found"
# A lost database connection gets a 503 "please call us" page; anything else the 500 page.
handler500 = "clinic.outage.server_error"

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from django.views.static import serve

from blog import queries as blog_queries
from clinic.models import Practitioner, Service
from clinic.redirects import ROOT_QUERY_PARAMETERS
from clinic.renditions import is_content_hashed
from testimonials import queries as testimonial_queries

AUTHOR_POSTS = 3


class HomeView(TemplateView):
    template_name = "clinic/home.html"
    # WordPress's plain links (/?p=123, /?page_id=7) are old addresses (clinic.redirects): keyed
    # apart from the home page so a stored home page never answers them.
    page_cache_query_parameters = ROOT_QUERY_PARAMETERS

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            services=Service.objects.active(),
            latest_posts=blog_queries.latest_posts(3),
            stories=testimonial_queries.featured_stories(3),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "clinic/about.html"
    page_cache_query_parameters = ()

    def get_context_data(self, **kwargs):
        return super().get_context_data(practitioners=Practitioner.objects.active(), **kwargs)


class PractitionerDetailView(DetailView):
    template_name = "clinic/practitioner_detail.html"
    page_cache_query_parameters = ()
    context_object_name = "practitioner"
    queryset = Practitioner.objects.active()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            author_posts=blog_queries.posts_by(self.object, AUTHOR_POSTS), **kwargs
        )


class ServiceListView(ListView):
    template_name = "clinic/service_list.html"
    page_cache_query_parameters = ()
    context_object_name = "services"
    queryset = Service.objects.active()


class ServiceDetailView(DetailView):
    template_name = "clinic/service_detail.html"
    page_cache_query_parameters = ()
    context_object_name = "service"
    queryset = Service.objects.active()


class PrivacyView(TemplateView):
    template_name = "clinic/privacy.html"
    page_cache_query_parameters = ()


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /blog/preview/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon_ico(request):
    """Browsers ask for /favicon.ico wherever a page names no icon (the admin, a feed, a PDF):
    send them to the site's icon rather than a 404 in every log."""
    return redirect(static("img/favicon-32.png"))


@require_safe
def health(request):
    """For load balancers: the process answers and the database is reachable."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def serve_media(request, path):
    """Uploads, when Django serves them itself (SERVE_MEDIA). A file named after its content
    never changes, so browsers and proxies may keep it for a year without asking again."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if is_content_hashed(path):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response

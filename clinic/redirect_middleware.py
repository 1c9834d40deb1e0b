"""Old addresses answer 301 (clinic.redirects) where this site has no page.

A redirect is looked up only when the page was not found, so pages that exist cost nothing more,
with one exception: the site root with a query string (`/?p=123`, WordPress's plain links), which
the home page would otherwise answer. The 301 is stored with the pages (clinic.page_cache), so a
popular old link costs one cache read, like a page.
"""

from django.http import HttpResponsePermanentRedirect

from clinic.redirects import Redirect


class RedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info == "/":
            query = request.META.get("QUERY_STRING", "")
            if query:
                redirect = Redirect.objects.filter(old_path=f"/?{query}").first()
                if redirect is not None:
                    return self._answer(redirect)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            redirect = Redirect.objects.matching(
                request.path_info, request.META.get("QUERY_STRING", "")
            )
            if redirect is not None:
                return self._answer(redirect)
        return response

    @staticmethod
    def _answer(redirect):
        redirect.mark_used()
        return HttpResponsePermanentRedirect(redirect.new_path)

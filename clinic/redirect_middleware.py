"""Old addresses answer 301 (clinic.redirects) where this site has no page.

A redirect is looked up only when the page was not found, so pages that exist cost nothing more,
with one exception: the site root with WordPress's plain-link parameters (`/?p=123`,
`/?page_id=7`), which the home page would otherwise answer. The 301 is shared: the page cache
stores it like a page (keyed on the path alone, or at the root on those parameters), so a popular
old link costs one cache read, and "last used" is written when it is not already stored.
"""

from django.http import HttpResponsePermanentRedirect
from django.utils.http import urlencode

from clinic.page_cache import shared_redirect
from clinic.redirects import ROOT_QUERY_PARAMETERS, Redirect


def root_addresses(query):
    """The old addresses a request for the site root may be: WordPress's plain links, made of
    the parameters the home page is stored under (so a stored 301 and a stored home page never
    answer each other's requests), `/?p=42&utm_source=x` being `/?p=42`."""
    return [
        f"/?{urlencode({name: query[name]})}" for name in ROOT_QUERY_PARAMETERS if name in query
    ]


class RedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info == "/" and request.GET:
            addresses = root_addresses(request.GET)
            found = {r.old_path: r for r in Redirect.objects.filter(old_path__in=addresses)}
            for address in addresses:
                if address in found:
                    return self._answer(found[address])
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
        return shared_redirect(HttpResponsePermanentRedirect(redirect.new_path))

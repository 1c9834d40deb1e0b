from django.utils.functional import SimpleLazyObject

from clinic.models import Clinic


def clinic(request):
    """The clinic's facts for the header, footer and structured data of every page.

    Lazy, so a response that never renders the layout (a redirect, a feed) costs no query.
    """
    return {
        "clinic": SimpleLazyObject(Clinic.load),
        # The page's address without its query string: what search engines should index.
        "canonical_url": SimpleLazyObject(lambda: request.build_absolute_uri(request.path)),
    }

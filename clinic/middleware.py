"""Small middleware of the clinic's own; each says below why Django's own does not cover it."""

from django.conf import settings


class CrossOriginResourcePolicyMiddleware:
    """`Cross-Origin-Resource-Policy` on every response (pages, static files, uploads, errors), so
    no other site can embed the clinic's resources. Django's SecurityMiddleware sets COOP but not
    CORP. Placed before whitenoise so the static files it serves get it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.policy)
        return response

import re

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from booking.forms import EnquiryForm
from booking.services import enquiry_submit
from clinic import attribution
from clinic.models import Service
from clinic.spam import RateLimited, client_ip


def wants_json(request):
    """The page's own script asks for JSON (static/js/booking.js); everyone else gets HTML."""
    return "application/json" in request.headers.get("Accept", "")


class EnquiryView(View):
    """The booking form: GET shows it, POST stores an enquiry then redirects to the thank-you page.

    Asked for JSON (by the page's script), POST answers {"outcome", "html"} instead, so the page
    can swap in the thank-you message or the form with its errors without a reload.
    """

    template_name = "booking/enquiry.html"
    page_cache_query_parameters = ("service", "practitioner", "from")
    http_method_names = ["get", "post", "head", "options"]

    def get(self, request):
        initial = {
            key: request.GET[key][:140] for key in ("service", "practitioner") if key in request.GET
        }
        if attribution.resolve(request.GET.get("from", "")) is not None:
            initial["started_from"] = request.GET["from"]
        return render(request, self.template_name, {"form": EnquiryForm(initial=initial)})

    def post(self, request):
        form = EnquiryForm(request.POST)
        try:
            enquiry = enquiry_submit(form=form, client_ip=client_ip(request))
        except RateLimited:
            return self.form_response(request, form, outcome="rate_limited", status=429)
        if enquiry is None:
            return self.form_response(request, form, outcome="invalid", status=400)

        query = {"service": enquiry.service.slug} if enquiry.service_id else {}
        thanks_url = reverse("booking:thanks") + (f"?{urlencode(query)}" if query else "")
        if wants_json(request):
            context = {"service": enquiry.service, "standalone": False}
            html = render_to_string("booking/includes/_thanks.html", context, request=request)
            return JsonResponse({"outcome": "sent", "html": html, "url": thanks_url})
        return redirect(thanks_url)

    def form_response(self, request, form, *, outcome, status):
        context = {"form": form, "outcome": outcome}
        if wants_json(request):
            html = render_to_string("booking/includes/_form.html", context, request=request)
            return JsonResponse({"outcome": outcome, "html": html}, status=status)
        # Plain HTML posts get the page again; 200 for errors keeps every browser showing it.
        return render(
            request, self.template_name, context, status=429 if outcome == "rate_limited" else 200
        )


slug_re = re.compile(r"[-a-zA-Z0-9_]+")


class ThanksView(TemplateView):
    template_name = "booking/thanks.html"
    page_cache_query_parameters = ("service",)

    def get_context_data(self, **kwargs):
        slug = self.request.GET.get("service", "")[:140]
        # Only a well-formed slug reaches the database (PostgreSQL refuses NUL bytes outright).
        is_slug = slug_re.fullmatch(slug) is not None
        service = Service.objects.active().filter(slug=slug).first() if is_slug else None
        return super().get_context_data(service=service, standalone=True, **kwargs)

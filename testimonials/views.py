from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, ListView, TemplateView

from clinic.spam import RateLimited, client_ip
from testimonials import policy, services
from testimonials.forms import StoryForm
from testimonials.models import Testimonial

RATE_LIMITED_MESSAGE = (
    "We have received several stories from your connection in a short time, so we cannot take "
    "this one right now. Your text is still below: please try again later, or email it to us."
)


class PolicyContextMixin:
    def get_context_data(self, **kwargs):
        return super().get_context_data(service_only=not policy.clinical_allowed(), **kwargs)


class StoryListView(PolicyContextMixin, ListView):
    """Published stories. Sets no cookie (no form, no session), so it can be cached."""

    template_name = "testimonials/story_list.html"
    page_cache_query_parameters = ("page",)
    context_object_name = "stories"
    paginate_by = 10

    def get_queryset(self):
        return Testimonial.objects.publishable().for_display()


class StoryShareView(PolicyContextMixin, FormView):
    template_name = "testimonials/story_share.html"
    page_cache_query_parameters = ()
    form_class = StoryForm
    success_url = reverse_lazy("testimonials:story_thanks")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        try:
            story = services.story_submit(form=form, client_ip=client_ip(request))
        except RateLimited:
            context = self.get_context_data(
                form=form, rate_limited=True, rate_limited_message=RATE_LIMITED_MESSAGE
            )
            return self.render_to_response(context, status=429)
        if story is None:
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class StoryThanksView(PolicyContextMixin, TemplateView):
    template_name = "testimonials/story_thanks.html"
    page_cache_query_parameters = ()

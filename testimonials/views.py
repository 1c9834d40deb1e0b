from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, ListView, TemplateView

from clinic.spam import RateLimit, client_ip, submitted_text
from testimonials import policy, services
from testimonials.forms import StoryForm
from testimonials.models import TEXT_MAX_LENGTH, Testimonial

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
    context_object_name = "stories"
    paginate_by = 10

    def get_queryset(self):
        return Testimonial.objects.publishable().for_display()


class StoryShareView(PolicyContextMixin, FormView):
    template_name = "testimonials/story_share.html"
    form_class = StoryForm
    success_url = reverse_lazy("testimonials:story_thanks")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        spam_reason = form.spam_reason
        if not form.is_valid() and not spam_reason:
            return self.form_invalid(form)
        limit = RateLimit.parse(settings.TESTIMONIALS_RATE_LIMIT, "TESTIMONIALS_RATE_LIMIT")
        if not limit.allow(scope="stories", ip_address=client_ip(request)):
            context = self.get_context_data(
                form=form, rate_limited=True, rate_limited_message=RATE_LIMITED_MESSAGE
            )
            return self.render_to_response(context, status=429)
        if spam_reason:
            # Kept, marked as spam, so a person caught by mistake is never lost; the answer is
            # the same as for a real story, which tells a script nothing.
            services.story_submit(
                author_name=submitted_text(form, "name", 120),
                text=submitted_text(form, "text", TEXT_MAX_LENGTH * 4),
                consent=bool(form.data.get("consent")),
                spam_reason=spam_reason,
            )
        else:
            data = form.cleaned_data
            services.story_submit(
                author_name=data["name"],
                text=data["text"],
                consent=data["consent"],
                practitioner=data["practitioner"],
            )
        return redirect(self.get_success_url())


class StoryThanksView(PolicyContextMixin, TemplateView):
    template_name = "testimonials/story_thanks.html"

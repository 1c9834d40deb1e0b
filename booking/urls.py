from django.urls import path
from django.views.generic import TemplateView

app_name = "booking"
urlpatterns = [
    # Placeholder until the enquiry form is built (issue 5).
    path("", TemplateView.as_view(template_name="booking/enquiry.html"), name="enquiry"),
]

from django.urls import path
from django.views.generic import TemplateView

app_name = "testimonials"
urlpatterns = [
    # Placeholder until the stories are built (issue 4).
    path("", TemplateView.as_view(template_name="testimonials/story_list.html"), name="story_list"),
]

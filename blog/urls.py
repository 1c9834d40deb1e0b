from django.urls import path
from django.views.generic import TemplateView

app_name = "blog"
urlpatterns = [
    # Placeholder until the blog is built (issue 3).
    path("", TemplateView.as_view(template_name="blog/post_list.html"), name="post_list"),
]

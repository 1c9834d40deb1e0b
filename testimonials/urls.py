from django.urls import path

from clinic.page_cache import cache_form_page
from testimonials import views

app_name = "testimonials"
urlpatterns = [
    path("", views.StoryListView.as_view(), name="story_list"),
    path("share/", cache_form_page(views.StoryShareView.as_view()), name="story_share"),
    path("share/thanks/", views.StoryThanksView.as_view(), name="story_thanks"),
]

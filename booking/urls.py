from django.urls import path

from booking import views
from clinic.page_cache import cache_form_page

app_name = "booking"
urlpatterns = [
    path("", cache_form_page(views.EnquiryView.as_view()), name="enquiry"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
]

from django.urls import path

from booking import views

app_name = "booking"
urlpatterns = [
    path("", views.EnquiryView.as_view(), name="enquiry"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
]

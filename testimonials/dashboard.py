"""The editors' patient-story row on the staff front page (clinic.dashboard)."""

from clinic import dashboard
from testimonials.models import Status, Testimonial

dashboard.register(
    "Patient stories waiting for moderation",
    permission="testimonials.change_testimonial",
    count=lambda: Testimonial.objects.filter(status=Status.PENDING).count(),
    changelist="admin:testimonials_testimonial_changelist",
    query={"status__exact": Status.PENDING},
)

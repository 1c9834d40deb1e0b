"""The front desk's rows on the staff front page (clinic.dashboard)."""

from booking.models import Enquiry, Notification
from clinic import dashboard

UNDELIVERED = [
    Notification.Status.PENDING,
    Notification.Status.SENDING,
    Notification.Status.RETRYING,
    Notification.Status.FAILED,
]

dashboard.register(
    "New enquiries",
    permission="booking.view_enquiry",
    count=lambda: Enquiry.objects.filter(status=Enquiry.Status.NEW).count(),
    changelist="admin:booking_enquiry_changelist",
    query={"status__exact": Enquiry.Status.NEW},
)
dashboard.register(
    "Enquiries whose emails are not delivered yet",
    permission="booking.view_enquiry",
    # The same rows as the list's "Not delivered yet" filter shows.
    count=lambda: Enquiry.objects.filter(notifications__status__in=UNDELIVERED).distinct().count(),
    changelist="admin:booking_enquiry_changelist",
    query={"emails": "problem"},
)

from django.tasks import task

from booking.notifications import deliver


@task()
def send_notification(notification_id):
    """Deliver one enquiry email; failures reschedule this task with backoff (see notifications)."""
    return deliver(notification_id)

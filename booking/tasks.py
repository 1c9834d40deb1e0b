"""The background tasks of the booking app: queueing enquiry emails, and queueing them again.

The sending itself, and the record of each attempt, is booking.notifications.deliver().
"""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task

from booking.models import Notification
from booking.notifications import deliver, due_ids


@task()
def send_notification(notification_id: int) -> str:
    """Deliver one enquiry email; a failure queues this task again for after the backoff."""
    delivery = deliver(notification_id)
    if delivery.retry_at is not None:
        # If this queueing fails, the row still says when it is due: the sweep (requeue_due,
        # run from cron by send_pending_notifications) picks it up.
        transaction.on_commit(
            lambda: queue_notifications([notification_id], run_after=delivery.retry_at)
        )
    return delivery.status


def queue_notifications(notification_ids: list[int], *, run_after: datetime | None = None) -> None:
    sender = send_notification.using(run_after=run_after) if run_after else send_notification
    # One transaction for the batch: one commit (one SQLite write lock) instead of one per task.
    with transaction.atomic():
        for notification_id in notification_ids:
            sender.enqueue(notification_id)


def requeue_due(
    *, now: datetime | None = None, notifications: QuerySet[Notification] | None = None
) -> int:
    """Queue a send for every unsent notification that is due (or make chosen ones due now).

    The safety net for a task that was never queued (the process died right after the enquiry
    committed) or whose worker died mid-send; also the admin's "send now". Returns how many.
    """
    with transaction.atomic():
        ids = due_ids(now=now, notifications=notifications)
        transaction.on_commit(lambda: queue_notifications(ids))
    return len(ids)

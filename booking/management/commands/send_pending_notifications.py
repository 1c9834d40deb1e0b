from django.core.management.base import BaseCommand

from booking.tasks import requeue_due


class Command(BaseCommand):
    help = (
        "Queue every enquiry email that is due but has no task (e.g. the server stopped right "
        "after an enquiry was saved). Safe to run at any time, e.g. hourly from cron."
    )

    def handle(self, *args, **options):
        count = requeue_due()
        self.stdout.write(self.style.SUCCESS(f"Queued {count} notification(s)."))

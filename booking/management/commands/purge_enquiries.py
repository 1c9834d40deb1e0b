from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from booking.models import Enquiry


class Command(BaseCommand):
    help = (
        "Delete closed and spam enquiries received more than DAYS days ago (default: the "
        "BOOKING_RETENTION_DAYS setting). New, contacted and booked enquiries are never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Age in days (default: the BOOKING_RETENTION_DAYS setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be deleted; delete nothing."
        )

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = settings.BOOKING_RETENTION_DAYS if older_than is None else older_than
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        cutoff = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            doomed = Enquiry.objects.purgeable(older_than=cutoff).order_by("created_at", "pk")
            # Numbers, dates and statuses only: this output may end up in a cron log.
            rows = list(doomed.values_list("pk", "created_at", "status"))
            verb = "Would delete" if dry_run else "Deleting"
            for pk, created_at, status in rows:
                self.stdout.write(
                    f"{verb} enquiry #{pk} ({status}, received {timezone.localdate(created_at)})"
                )
            if not dry_run and rows:
                Enquiry.objects.filter(pk__in=[row[0] for row in rows]).delete()
        summary = (
            f"{'Would delete' if dry_run else 'Deleted'} {len(rows)} closed or spam "
            f"enquir{'y' if len(rows) == 1 else 'ies'} received before "
            f"{timezone.localdate(cutoff)} ({days} days)."
        )
        self.stdout.write(self.style.SUCCESS(summary))

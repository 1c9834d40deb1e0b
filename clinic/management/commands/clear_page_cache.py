from django.core.management.base import BaseCommand

from clinic import page_cache


class Command(BaseCommand):
    help = "Make every stored page stale in every worker: run after a deploy changes templates."

    def handle(self, *args, **options):
        page_cache.bump()
        self.stdout.write("Stored pages will be rendered afresh.")

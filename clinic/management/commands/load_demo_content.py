import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo content exposes `<app>.demo.load(stdout)`; the clinic goes first because
# the others refer to its practitioners.
DEMO_MODULES = ["clinic.demo", "blog.demo", "testimonials.demo"]


class Command(BaseCommand):
    help = (
        "Create the demo clinic, practitioners, services, article and stories. Safe to run again."
    )

    def handle(self, *args, **options):
        for module_name in DEMO_MODULES:
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

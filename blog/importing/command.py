"""What the import_webflow and import_wordpress commands share: the --author option, the run
and the summary."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from blog.importing.load import Importer
from blog.importing.records import ImportFailed
from clinic.models import Practitioner


class ImportCommand(BaseCommand):
    site_name = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "--author",
            metavar="SLUG",
            help="The practitioner (their slug) for posts whose author is not one here.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and print what would happen; change nothing, fetch no image.",
        )

    def handle(self, *args, **options):
        author = None
        if options["author"]:
            author = Practitioner.objects.filter(slug=options["author"]).first()
            if author is None:
                slugs = ", ".join(Practitioner.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"--author {options['author']}: no such practitioner ({slugs}).")
        try:
            posts, stories = self.read(options)
            importer = Importer(
                default_author=author, dry_run=options["dry_run"], site_name=self.site_name
            )
            report = importer.run(posts=posts, stories=stories)
        except ImportFailed as error:
            raise CommandError(f"{error}\nNothing was imported.") from None
        except (ValidationError, DatabaseError) as error:
            # A value the checks above did not foresee: the transaction is rolled back all the same.
            raise CommandError(f"The import stopped: {error}\nNothing was imported.") from None
        for line in report.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")

    def read(self, options):
        """(post records, story records) from the files named in `options`."""
        raise NotImplementedError

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.images import delete_on_commit
from clinic.renditions import (
    RenditionImageField,
    is_clean_name,
    rendition_names,
    replaced_renditions,
)


def image_fields():
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, RenditionImageField):
                yield model, field


def complies(record, field):
    """Stored as this site stores images now: a hashed copy, with renditions named after it."""
    name = getattr(record, field.attname).name
    renditions = rendition_names(getattr(record, field.renditions_field))
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return is_clean_name(name) and bool(renditions) and all(stem in r for r in renditions)


class Command(BaseCommand):
    help = (
        "Re-encode images stored before uploads were cleaned (or without renditions): each gets "
        "a copy without metadata under a hashed name and new renditions; the old files are "
        "deleted. Images already stored that way are left alone, so it is safe to run again."
    )

    def handle(self, *args, **options):
        done = failed = 0
        for model, field in image_fields():
            records = model._default_manager.exclude(**{field.name: ""}).order_by("pk")
            for record in records.iterator():
                if complies(record, field):
                    continue
                try:
                    self.reprocess(record, field)
                except (OSError, ValueError) as error:
                    # Missing from storage or unreadable: named, left as it is, the rest go on.
                    failed += 1
                    self.stderr.write(f"{record._meta.label} {record.pk}: {error}")
                else:
                    done += 1
        self.stdout.write(self.style.SUCCESS(f"{done} image(s) re-encoded, {failed} failed."))
        if failed:
            raise CommandError(f"{failed} image(s) could not be re-encoded (listed above).")

    def reprocess(self, record, field):
        field_file = getattr(record, field.attname)
        old_name = field_file.name
        with field_file.open("rb") as stored:
            content = ContentFile(stored.read())
        with transaction.atomic():
            field_file.save(old_name, content, save=False)
            record.save(update_fields=[field.name, field.renditions_field])
            still_used = type(record)._default_manager.filter(**{field.name: old_name}).exists()
            old_files = [] if still_used else [old_name]
            replaced = replaced_renditions(record, field.name)
            delete_on_commit(field.storage, [*old_files, *replaced])
        self.stdout.write(f"{record._meta.label} {record.pk}: {old_name} → {field_file.name}")

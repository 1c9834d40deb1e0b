"""Editors moderate patient stories: they may view and change them (approve, reject, withdraw).

The blog app also creates the "Editors" group with get_or_create, so either migration may run first.
Permissions are normally created after all migrations (post_migrate); create ours here so a fresh
database gets the group's permissions in one `migrate`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("testimonial", "view_testimonial"),
    ("testimonial", "change_testimonial"),
    ("decision", "view_decision"),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("testimonials")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Editors")
    for model, codename in PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="testimonials", content_type__model=model, codename=codename
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="testimonials", codename__in=[c for _m, c in PERMISSIONS]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("testimonials", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""The "Front desk" group works the enquiry inbox; "Editors" (shared with the blog) never sees it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONT_DESK = "Front desk"
EDITORS = "Editors"
FRONT_DESK_PERMISSIONS = [
    ("enquiry", "view_enquiry"),
    ("enquiry", "change_enquiry"),
    ("enquiry", "delete_enquiry"),
    ("enquiry", "export_enquiry"),
    ("notification", "view_notification"),
]


def ensure_permissions(apps):
    # Permissions are normally created after all migrations ran; this one needs them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = original


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    front_desk, _ = Group.objects.get_or_create(name=FRONT_DESK)
    for model, codename in FRONT_DESK_PERMISSIONS:
        front_desk.permissions.add(
            Permission.objects.get(
                content_type__app_label="booking", content_type__model=model, codename=codename
            )
        )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.remove(*Permission.objects.filter(content_type__app_label="booking"))


def remove_front_desk(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=FRONT_DESK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_front_desk)]

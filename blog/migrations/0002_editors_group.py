"""The "Editors" staff group: writes posts, edits practitioners, services and clinic details.

get_or_create, so it works whichever app's migration creates the group first (the testimonials
app adds its own permissions to it); nothing of booking (patient enquiries) is ever granted here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
PERMISSIONS = {
    "blog": {"post": ["add", "change", "delete", "view"], "topic": ["add", "change", "delete", "view"]},
    "clinic": {"practitioner": ["change", "view"], "service": ["change", "view"], "clinic": ["change", "view"]},
}


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure these exist now.
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_blog_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="blog"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clinic", "0001_initial"),
        ("blog", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors, remove_blog_permissions)]

"""Once created the "Editors" group; staff groups are now defined in clinic/staff_groups.py and
kept in step by a post_migrate receiver. Kept, empty, because later migrations follow it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clinic", "0001_initial"),
        ("blog", "0001_initial"),
    ]

    operations = []

"""Once gave Editors the stories' permissions; staff groups are now defined in
clinic/staff_groups.py and kept in step by a post_migrate receiver. Kept, empty, because later
migrations may follow it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("testimonials", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []

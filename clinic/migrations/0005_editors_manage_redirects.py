"""Once gave Editors the redirects' permissions; staff groups are now defined in
clinic/staff_groups.py and kept in step by a post_migrate receiver. Kept, empty, because later
migrations follow it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clinic", "0004_redirect_imported_item"),
        ("blog", "0002_editors_group"),
    ]

    operations = []

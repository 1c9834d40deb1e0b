"""The staff groups and their permissions, in one place.

`sync_staff_groups` runs after every `migrate` (post_migrate, connected in clinic.apps): it creates
each group and sets its permissions to exactly the list below, so a change here reaches every
database at the next deploy. Add staff to a group in the admin; edit the groups here, not there.

Nothing of booking (patient enquiries) is ever granted to Editors, and the clinic's contact
details (where patient mail and staff notices go) need `clinic.change_clinic_contact`, which only
the owner (a superuser) has.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

STAFF_GROUPS = {
    # Write articles, moderate patient stories, keep the clinic's pages and redirects up to date.
    "Editors": [
        "blog.add_post",
        "blog.change_post",
        "blog.delete_post",
        "blog.view_post",
        "blog.add_topic",
        "blog.change_topic",
        "blog.delete_topic",
        "blog.view_topic",
        "clinic.change_practitioner",
        "clinic.view_practitioner",
        "clinic.change_service",
        "clinic.view_service",
        "clinic.change_clinic",
        "clinic.view_clinic",
        # Posts' old addresses: editors change slugs, so they keep the redirects right.
        "clinic.add_redirect",
        "clinic.change_redirect",
        "clinic.delete_redirect",
        "clinic.view_redirect",
        "testimonials.view_testimonial",
        "testimonials.change_testimonial",
        "testimonials.view_decision",
    ],
    # Work the enquiry inbox: new → contacted → booked / closed, export.
    "Front desk": [
        "booking.view_enquiry",
        "booking.change_enquiry",
        "booking.delete_enquiry",
        "booking.export_enquiry",
        "booking.view_notification",
    ],
}


def sync_staff_groups(*, apps, using="default", verbosity=0):
    """Create the groups of STAFF_GROUPS and give each exactly its permissions."""
    app_labels = {name.split(".")[0] for names in STAFF_GROUPS.values() for name in names}
    # Django creates permissions app by app after migrating; the groups need all of them now. As
    # post_migrate does: the installed app's config, the models as the migrations left them.
    for label in sorted(app_labels):
        app_config = installed_apps.get_app_config(label)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permission_names in STAFF_GROUPS.items():
        wanted = Q(pk__in=[])
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.using(using).filter(wanted))
        missing = set(permission_names) - {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in permissions
        }
        if missing:
            raise LookupError(f"Staff group {name!r} names unknown permissions: {sorted(missing)}")
        group, created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
        if verbosity >= 2:
            print(f"{'Created' if created else 'Updated'} the staff group {name!r}.")


def sync_after_migrate(sender, *, using, verbosity=1, apps=installed_apps, **kwargs):
    """post_migrate receiver (sent once per app: connected for the clinic app only). `flush`
    sends it too, without `apps`: the installed models are the migrated ones then."""
    sync_staff_groups(apps=apps, using=using, verbosity=verbosity)

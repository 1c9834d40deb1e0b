"""The one way stored pages become stale: a committed change to content that shows on a page.

Every save, delete and many-to-many change of a model of settings.PAGE_CACHE_APPS (except
PAGE_CACHE_IGNORE) bumps the version once committed. A model whose rows are not all public
registers which are (`register_public_rows`): a change then bumps only if the row shows before
or after it, so a story sent through the site (pending, shown nowhere) changes nothing.
Changes made with update() or bulk_create(), which send no signal, call store.bump() themselves.
Who made the change, and at which URL, plays no part.
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from clinic.page_cache.store import bump

# model -> function() returning a queryset of the rows that show on some page.
PUBLIC_ROWS = {}


def register_public_rows(model, rows):
    """Only the rows in rows() show on pages, e.g. published stories: a change to any other row
    leaves stored pages alone."""
    PUBLIC_ROWS[model] = rows


def _watched(model):
    meta = model._meta
    ignored = {label.lower() for label in settings.PAGE_CACHE_IGNORE}
    return meta.app_label in settings.PAGE_CACHE_APPS and meta.label_lower not in ignored


def _shown(instance):
    rows = PUBLIC_ROWS.get(type(instance)._meta.concrete_model)
    return rows is None or rows().filter(pk=instance.pk).exists()


def _before_change(sender, instance, using, **kwargs):
    """A row that showed until now: its change or deletion shows too."""
    if sender._meta.concrete_model in PUBLIC_ROWS and instance.pk is not None:
        if _watched(sender) and _shown(instance):
            bump(using)


def _after_save(sender, instance, using, **kwargs):
    if _watched(sender) and _shown(instance):
        bump(using)


def _after_delete(sender, instance, using, **kwargs):
    if _watched(sender) and sender._meta.concrete_model not in PUBLIC_ROWS:
        bump(using)


def _relations_changed(sender, instance, action, using, **kwargs):
    if action.startswith("post_") and _watched(type(instance)) and _shown(instance):
        bump(using)


def connect_signals():
    uid = "clinic.page_cache"
    pre_save.connect(_before_change, dispatch_uid=f"{uid}.pre_save")
    pre_delete.connect(_before_change, dispatch_uid=f"{uid}.pre_delete")
    post_save.connect(_after_save, dispatch_uid=f"{uid}.post_save")
    post_delete.connect(_after_delete, dispatch_uid=f"{uid}.post_delete")
    m2m_changed.connect(_relations_changed, dispatch_uid=f"{uid}.m2m_changed")

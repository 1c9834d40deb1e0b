"""Accessible names for admin form controls that Django's admin renders without a label.

Every app's ModelAdmin can inherit `AccessibleModelAdmin` (the axe checks of the admin in
tests/browser/test_accessibility.py fail with "Form elements must have labels" otherwise):
- list_editable fields on a change list have no <label>: each gets "<field> of <object>";
- a file field that already holds a file is a fieldset whose "Change:" input has no label.
"""

from django import forms
from django.contrib import admin
from django.db import models


class AccessibleModelAdmin(admin.ModelAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.FileField) and formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", f"Upload a new {db_field.verbose_name}")
        return formfield

    def get_changelist_form(self, request, **kwargs):
        form_class = super().get_changelist_form(request, **kwargs)

        class LabelledChangeListForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, field in self.fields.items():
                    if isinstance(field.widget, forms.HiddenInput):
                        continue
                    label = field.label or name.replace("_", " ")
                    field.widget.attrs.setdefault("aria-label", f"{label} of {self.instance}")

        return LabelledChangeListForm


class AccessibleTabularInline(admin.TabularInline):
    """A tabular inline labels its inputs only by the column headings: name each one.

    "Opens (Monday)", "Delete (Monday)": the heading and the row's object (or its row number).
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset_class):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                row = str(form.instance) if form.instance.pk else f"new row {(index or 0) + 1}"
                for name, field in form.fields.items():
                    if isinstance(field.widget, forms.HiddenInput):
                        continue
                    label = field.label or name.replace("_", " ")
                    field.widget.attrs.setdefault("aria-label", f"{label} ({row})")

        return LabelledFormSet

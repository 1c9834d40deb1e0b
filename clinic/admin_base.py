"""The base class of every ModelAdmin of this site."""

import logging

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet, FullResultSet, ValidationError
from django.shortcuts import redirect

from clinic.admin_a11y import AccessibleModelAdmin
from clinic.images import delete_replaced_files

logger = logging.getLogger(__name__)

UNUSABLE_VALUES = "Those filter or selection values could not be used; here is the full list."


class ClinicChangeList(ChangeList):
    """Django's change list, refusing the query-string values that only fail once the query is
    turned into SQL (a date drill-down to the year 9999, `?created_at__year=-5`): as Django does
    for values it spots itself, staff get the full list back, here with a message saying why."""

    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
            try:
                queryset.query.get_compiler(queryset.db).as_sql()
            except (EmptyResultSet, FullResultSet):
                pass  # a query that is usable, just trivially empty or full
        except (ValueError, OverflowError, IncorrectLookupParameters) as error:
            logger.warning("Unusable change-list values for %s: %s", request.path, error)
            messages.error(request, UNUSABLE_VALUES)
            raise IncorrectLookupParameters(error) from error
        return queryset


class ClinicModelAdmin(AccessibleModelAdmin):
    """Accessible names (clinic.admin_a11y), and no 500 for change-list values Django's admin
    cannot handle: impossible dates in the query string, a forged selection of ids. Staff get the
    plain list back with a message instead.

    Those values are checked before the list is rendered, rather than errors caught while it is,
    so a bug in the admin itself (a failing `list_display` method) still surfaces as a 500 with an
    error report.

    A replaced upload's old file is deleted, so an image staff removed is no longer public.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        delete_replaced_files(form)

    def get_changelist(self, request, **kwargs):
        return ClinicChangeList

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and not self.selection_is_usable(request):
            logger.warning("Unusable selection for %s", request.path)
            messages.error(request, UNUSABLE_VALUES)
            return redirect(request.path)
        return super().changelist_view(request, extra_context)

    def selection_is_usable(self, request):
        """Whether every id an action was posted with could be an id of this model."""
        primary_key = self.model._meta.pk
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                primary_key.clean(value, None)
        except ValidationError:
            return False
        return True

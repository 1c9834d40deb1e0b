"""The base class of every ModelAdmin of this site."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from clinic.admin_a11y import AccessibleModelAdmin
from clinic.images import delete_replaced_files

logger = logging.getLogger(__name__)


class ClinicModelAdmin(AccessibleModelAdmin):
    """Accessible names (clinic.admin_a11y), and no 500 for change-list values Django's admin
    cannot handle: a date drill-down to the year 9999, a forged selection of ids. Staff get the
    plain list back with a message instead. A replaced upload's old file is deleted, so an image
    staff removed is no longer public."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        delete_replaced_files(form)

    def changelist_view(self, request, extra_context=None):
        try:
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # the date hierarchy is computed while rendering
            return response
        except (OverflowError, ValueError, ValidationError):
            logger.warning("Unusable change-list values for %s", request.path, exc_info=True)
            messages.error(
                request,
                "Those filter or selection values could not be used; here is the full list.",
            )
            return redirect(request.path)

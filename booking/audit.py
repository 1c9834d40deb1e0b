"""The audit trail of patient data seen in the admin: who exported what, who opened which enquiry.

The records are `AccessRecord` rows, shown to superusers only (booking.admin).
"""

import datetime

from django.http import HttpRequest

from booking.models import AccessRecord, Enquiry

# How many enquiry numbers an export of a selection lists before "and N more".
LISTED_NUMBERS = 20


def _record(request: HttpRequest, **fields) -> AccessRecord:
    return AccessRecord.objects.create(
        user=request.user, username=request.user.get_username(), **fields
    )


def record_view(request: HttpRequest, enquiry: Enquiry) -> AccessRecord:
    return _record(request, action=AccessRecord.Action.VIEW, enquiry_number=enquiry.pk)


def record_range_export(
    request: HttpRequest,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    include_spam: bool,
    rows: int,
) -> AccessRecord:
    return _record(
        request,
        action=AccessRecord.Action.EXPORT,
        date_from=date_from,
        date_to=date_to,
        detail="Date range, spam included" if include_spam else "Date range",
        rows=rows,
    )


def record_selection_export(request: HttpRequest, numbers: list[int]) -> AccessRecord:
    listed = ", ".join(f"#{number}" for number in numbers[:LISTED_NUMBERS])
    more = len(numbers) - LISTED_NUMBERS
    return _record(
        request,
        action=AccessRecord.Action.EXPORT,
        detail=f"Selected: {listed}" + (f" and {more} more" if more > 0 else ""),
        rows=len(numbers),
    )

"""What the public forms' tests send: a signed "form shown at" time, and a valid enquiry."""

import time

from django.core import signing

from clinic.spam import TIMESTAMP_SALT


def started(seconds_ago=60):
    """A signed `form_started` value as a form rendered `seconds_ago` would carry."""
    return signing.dumps(time.time() - seconds_ago, salt=TIMESTAMP_SALT)


def enquiry_data(service, practitioner=None, **fields):
    """A booking form post that passes every check, filled in a while ago; `fields` override."""
    data = {
        "name": "Alex Citizen",
        "email": "alex@example.com",
        "phone": "0412 345 678",
        "contact_method": "email",
        "patient_type": "new",
        "service": service.slug,
        "consent": "on",
        "form_started": started(30),
    }
    if practitioner is not None:
        data["practitioner"] = practitioner.slug
    data.update(fields)
    return data

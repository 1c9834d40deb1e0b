"""Layout objects for the public forms, rendered by the site's crispy template pack
(templates/clinic_forms/)."""

from crispy_forms.layout import Submit as CrispySubmit


class Submit(CrispySubmit):
    """crispy's submit button with the site's button class instead of Bootstrap's
    `btn btn-primary`."""

    field_classes = "button"

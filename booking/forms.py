import re
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from booking.models import DAY_CHOICES, TIME_CHOICES, Enquiry
from clinic import attribution, phones
from clinic.form_layout import Submit
from clinic.models import Practitioner, Service
from clinic.spam import TIMESTAMP_FIELD, TIMESTAMP_SALT, SpamCheckedForm

# What a mailbox a patient really has is called: RFC 5322 also allows = | { } ! # $ & * / ? ^ `
# ~ and quoted strings, which mail providers do not hand out and which make an address like
# "=cmd|x@example.com" that a spreadsheet would run. It starts with a letter, digit or _.
_PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.%+'-]*")


class SlugChoiceField(forms.ModelChoiceField):
    """Chosen by slug, so `?service=<slug>` links preselect and no database id is exposed."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", **kwargs)


class EnquiryForm(SpamCheckedForm):
    name = forms.CharField(
        label="Your name",
        max_length=120,
        error_messages={"required": "Please tell us your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={"required": "Please enter your email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        error_messages={"required": "Please enter a phone number we can call."},
        help_text="An Australian mobile or landline, e.g. 0412 345 678.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=Enquiry.ContactMethod.choices,
        initial=Enquiry.ContactMethod.EITHER,
        error_messages={"required": "Please choose how we should contact you."},
        widget=forms.RadioSelect,
    )
    patient_type = forms.ChoiceField(
        label="Have you been to the clinic before?",
        choices=Enquiry.PatientType.choices,
        error_messages={"required": "Please tell us if you have been to the clinic before."},
        widget=forms.RadioSelect,
    )
    service = SlugChoiceField(
        Service.objects.none(),
        label="Service",
        empty_label="Choose a service",
        error_messages={"required": "Please choose a service."},
    )
    practitioner = SlugChoiceField(
        Practitioner.objects.none(),
        label="Preferred practitioner (optional)",
        required=False,
        empty_label="No preference",
    )
    preferred_days = forms.MultipleChoiceField(
        label="Preferred days (optional)",
        choices=DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave blank if any day suits you.",
    )
    preferred_times = forms.MultipleChoiceField(
        label="Preferred times (optional)",
        choices=TIME_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label="Anything we should know? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "A line about what you would like help with is plenty. Please don't include more "
            "health detail than needed: we will talk it through with you."
        ),
    )
    # Which page's "Book now" led here (clinic.attribution); an unknown value is ignored.
    started_from = forms.CharField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label="I agree to the clinic using these details to contact me about an appointment.",
        error_messages={"required": "Please tick the box so we may use your details to reply."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.active()
        self.fields["practitioner"].queryset = Practitioner.objects.active()
        self.helper = self._build_helper()

    def _build_helper(self):
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Fieldset(
                "Your details",
                "name",
                "email",
                "phone",
                "contact_method",
            ),
            Fieldset(
                "Your appointment",
                "patient_type",
                "service",
                "practitioner",
                Field("preferred_days", wrapper_class="choice-grid"),
                "preferred_times",
                "message",
            ),
            Div("website", css_class="hp-field", aria_hidden="true"),
            "form_started",
            "started_from",
            # The collection notice APP 5 asks for, right beside the consent it explains.
            HTML('{% include "booking/includes/_collection_notice.html" %}'),
            "consent",
            Submit("submit", "Send enquiry"),
        )
        return helper

    def refresh_timestamp(self):
        """Give a form coming back with errors a fresh start time if its own did not check out."""
        if self.is_bound and self.spam_reason == "bad_timestamp":
            self.data = self.data.copy()
            self.data[TIMESTAMP_FIELD] = signing.dumps(time.time(), salt=TIMESTAMP_SALT)

    def clean_preferred_days(self):
        # A forged post may repeat a box; each choice counts once.
        return list(dict.fromkeys(self.cleaned_data["preferred_days"]))

    def clean_preferred_times(self):
        return list(dict.fromkeys(self.cleaned_data["preferred_times"]))

    def clean_started_from(self):
        # Never an error: the patient could neither see nor fix it.
        return attribution.resolve(self.cleaned_data["started_from"][:250])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Please tell us your name.", code="required")
        return name

    def clean_phone(self):
        return phones.normalise(self.cleaned_data["phone"])

    def clean_email(self):
        if "," in self.cleaned_data["email"]:
            # Valid when quoted, but no mail program a patient uses makes one, and a comma would
            # split the address in two when the confirmation is sent.
            raise forms.ValidationError("Please enter an email address without a comma.")
        local, _, domain = self.cleaned_data["email"].rpartition("@")
        if not _PLAIN_LOCAL_PART.fullmatch(local):
            raise forms.ValidationError(
                "Please enter your email address as your mail program shows it, e.g. "
                "name@example.com: letters, numbers and . _ - + ' before the @.",
                code="not_plain",
            )
        return f"{local}@{domain.lower()}"

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms

from clinic.form_layout import Submit
from clinic.models import Practitioner
from clinic.spam import SpamCheckedForm
from testimonials import policy
from testimonials.models import TEXT_MAX_LENGTH


class StoryForm(SpamCheckedForm):
    """The public "share your experience" form. Spam is not a form error: see the view."""

    name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="We show your first name and the first letter of your surname, e.g. “Sarah T.”",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please tell us your name."},
    )
    text = forms.CharField(
        label="Your experience",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={
            "required": "Please write a few words about your experience.",
            "max_length": (
                "Please keep your story to %(limit_value)d characters or fewer "
                "(it has %(show_value)d). Your text is still here to shorten."
            ),
        },
    )
    practitioner = forms.ModelChoiceField(
        label="Who did you see? (optional)",
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label="Not sure, or someone else",
    )
    consent = forms.BooleanField(
        label=(
            "Westside Sports Chiro may publish my story on its website with my first name and "
            "initial. I can ask for it to be taken down at any time."
        ),
        error_messages={
            "required": "Please tick the box to let us publish your story. Without it we cannot."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = Practitioner.objects.active()
        if not policy.clinical_allowed():
            self.fields["text"].help_text = (
                "Tell us about your visits: the welcome, the explanations, how you were looked "
                "after. Australian law for health services does not let us publish comments about "
                "symptoms, treatment or results, so we leave those out."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its own {% csrf_token %}
        self.helper.layout = Layout(
            "name",
            "text",
            "practitioner",
            "consent",
            # The honeypot: off screen and hidden from assistive technology (clinic/spam.py).
            Div("website", css_class="hp-field", aria_hidden="true"),
            "form_started",
        )
        self.helper.add_input(Submit("submit", "Send my story"))

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from clinic.admin_base import ClinicModelAdmin
from testimonials import policy, services
from testimonials.models import Classification, Decision, Status, Testimonial

# The moderation actions work on a selection in the list and on the story being read.
BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class TestimonialAdminForm(forms.ModelForm):
    """The change form applies the same rule as the bulk actions (services.check_status_change);
    the model itself refuses a change to published text and a flagged non-clinical story
    without a reason."""

    class Meta:
        model = Testimonial
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_status = self.instance.status if self.instance.pk else Status.PENDING
        self.old_classification = (
            self.instance.classification if self.instance.pk else Classification.UNCLASSIFIED
        )

    def clean(self):
        cleaned_data = super().clean()
        if "status" in self.errors:
            return cleaned_data
        # The rule reads the story as it would be saved; a copy keeps the instance untouched until
        # Django builds it from the same cleaned data.
        story = construct_instance(self, copy.copy(self.instance))
        problem = services.check_status_change(self.old_status, story.status, story)
        if problem:
            self.add_error("status", problem)
        return cleaned_data


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    fields = ["decided_at", "action", "status", "classification", "decided_by", "note"]
    readonly_fields = fields
    verbose_name = "decision"
    verbose_name_plural = "decisions (who and when)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")


@admin.register(Testimonial)
class TestimonialAdmin(ClinicModelAdmin):
    form = TestimonialAdminForm
    inlines = [DecisionInline]
    list_display = [
        "display_name",
        "excerpt",
        "status",
        "classification",
        "flags",
        "shown",
        "duplicate",
        "is_featured",
    ]
    list_display_links = ["display_name", "excerpt"]
    list_filter = [
        "status",
        "classification",
        "source",
        "practitioners",
        "is_flagged",
        "consent_to_publish",
        "is_featured",
        "is_spam",
    ]
    search_fields = ["display_name", "author_name", "text"]
    date_hierarchy = "received_on"
    list_per_page = 50
    actions = ["approve_non_clinical", "approve_clinical", "reject", "withdraw"]
    fieldsets = [
        (
            "Story",
            {
                "fields": [
                    "author_name",
                    "display_name",
                    "text",
                    "source",
                    "source_url",
                    "received_on",
                    "rating",
                    "practitioners",
                ]
            },
        ),
        ("Consent", {"fields": ["consent_to_publish", "consent_date", "consent_note"]}),
        (
            "Moderation",
            {
                "description": (
                    "Publication rule in force: <strong>{}</strong>. Comments about symptoms, "
                    "diagnosis, treatment, results or clinical skill are clinical."
                ),
                "fields": [
                    "status",
                    "classification",
                    "screening_flags",
                    "classification_reason",
                    "is_featured",
                    "display_order",
                ],
            },
        ),
        (
            "Record",
            {
                "fields": [
                    "duplicates",
                    "published_at",
                    "is_spam",
                    "spam_reason",
                    "normalised_hash",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        for _name, options in fieldsets:
            if "description" in options:
                options["description"] = format_html(
                    options["description"], policy.POLICIES[policy.current()]
                )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = [
            "screening_flags",
            "duplicates",
            "published_at",
            "spam_reason",
            "normalised_hash",
            "created_at",
            "updated_at",
        ]
        if obj is not None and obj.text_locked:
            # Published words are the patient's: shown, never edited (withdraw instead).
            fields.append("text")
        return fields

    def get_queryset(self, request):
        # Annotated before ordering: the queue is sorted on the annotation (pending first).
        stories = self.model._default_manager.get_queryset().for_moderation()
        return stories.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["queue_rank", "-created_at"]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Deleting a published story would erase the record of what the clinic showed.
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.text_locked:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "practitioners" in form.base_fields:
            form.base_fields["practitioners"].help_text = ""
        return form

    # Columns and read-only fields

    @admin.display(description="Story")
    def excerpt(self, obj):
        return obj.text if len(obj.text) <= 90 else obj.text[:88] + "…"

    @admin.display(description="Clinical terms found")
    def flags(self, obj):
        return obj.screening_terms or "—"

    @admin.display(description="On the site", boolean=True)
    def shown(self, obj):
        return obj.is_publishable

    @admin.display(description="Duplicate", boolean=True, ordering="-has_duplicate")
    def duplicate(self, obj):
        return getattr(obj, "has_duplicate", False)

    @admin.display(description="Screening")
    def screening_flags(self, obj):
        result = obj.screening()
        if not result.flagged:
            return "No clinical language found. Suggested: non-clinical (still read it)."
        return format_html(
            "Clinical language found: <strong>{}</strong>. Suggested: clinical. To classify it as "
            "non-clinical, record the reason below.",
            result,
        )

    @admin.display(description="Same text as")
    def duplicates(self, obj):
        if obj.pk is None:
            return "—"
        others = Testimonial.objects.duplicates_of(obj).only("pk", "display_name", "status")
        if not others:
            return "No other story has this text."
        return format_html_join(
            ", ",
            '<a href="{}">{} ({})</a>',
            (
                (
                    reverse("admin:testimonials_testimonial_change", args=[other.pk]),
                    other.display_name,
                    other.get_status_display(),
                )
                for other in others
            ),
        )

    # Saving through the change form: the decisions are logged like the bulk actions'.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.record_decision(
                obj, action=Decision.Action.SUBMITTED, by=request.user, note="Added in the admin."
            )
        services.record_changes(
            obj,
            old_status=form.old_status,
            old_classification=form.old_classification,
            by=request.user,
        )
        count = Testimonial.objects.duplicates_of(obj).count()
        if count:
            self.message_user(
                request,
                f"This story’s text matches {count} other "
                f"{'story' if count == 1 else 'stories'} (ignoring case, punctuation and "
                "spelling variants). Publish only one: see “Same text as” below.",
                messages.WARNING,
            )

    # Bulk actions: each story goes through the same rule; refusals are listed, never silent.

    def _moderate(self, request, queryset, operation, done_message):
        done = 0
        for story in queryset:
            try:
                operation(story)
            except services.ModerationRefused as refusal:
                self.message_user(request, f"Not changed: {refusal}", messages.ERROR)
            else:
                done += 1
        if done:
            noun = "story" if done == 1 else "stories"
            self.message_user(request, f"{done} {noun} {done_message}.", messages.SUCCESS)

    @admin.action(
        description="Approve as non-clinical (about service: published under every policy)",
        permissions=["change"],
        location=BOTH,
    )
    def approve_non_clinical(self, request, queryset):
        self._moderate(
            request,
            queryset,
            lambda story: services.approve(
                story, by=request.user, classification=Classification.NON_CLINICAL
            ),
            "approved as non-clinical",
        )

    @admin.action(
        description="Approve as clinical (published only under the “standard” policy)",
        permissions=["change"],
        location=BOTH,
    )
    def approve_clinical(self, request, queryset):
        self._moderate(
            request,
            queryset,
            lambda story: services.approve(
                story, by=request.user, classification=Classification.CLINICAL
            ),
            "approved as clinical",
        )

    @admin.action(description="Reject selected stories", permissions=["change"], location=BOTH)
    def reject(self, request, queryset):
        self._moderate(
            request, queryset, lambda story: services.reject(story, by=request.user), "rejected"
        )

    @admin.action(
        description="Withdraw selected published stories", permissions=["change"], location=BOTH
    )
    def withdraw(self, request, queryset):
        self._moderate(
            request, queryset, lambda story: services.withdraw(story, by=request.user), "withdrawn"
        )

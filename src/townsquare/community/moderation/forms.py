"""Forms for the moderation pages. They coerce types; the services decide what is allowed."""

from django import forms

from townsquare.community.models import FlagReason, Guideline
from townsquare.community.moderation.actions import ACTIONS
from townsquare.community.moderation.citing import REASON_MAX
from townsquare.community.moderation.flags import NOTE_LIMIT
from townsquare.community.moderation.slow_mode import LONGEST_SECONDS
from townsquare.community.posting import BODY_LIMIT, TITLE_LIMIT

ACTION_LABELS = {
    "hide": "Hide (uphold the flags)",
    "restore": "Restore",
    "edit": "Edit",
    "approve": "Approve (show it)",
    "reject": "Reject (keep it hidden)",
    "close": "Close the topic",
    "reopen": "Reopen the topic",
    "dismiss_flags": "Dismiss the flags",
}


class GuidelineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Guideline) -> str:
        return f"Rule {obj.number}: {obj.title}"


def reason_field() -> forms.CharField:
    return forms.CharField(
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required. The author reads it, and it appears in the public moderation log.",
    )


def rule_field() -> GuidelineChoice:
    return GuidelineChoice(
        queryset=Guideline.objects.filter(is_active=True).order_by("number"),
        required=False,
        empty_label="No rule cited",
        label="Rule it applies",
    )


class PageForm(forms.Form):
    """A form that shares its page with others: its ids carry its name, so labels stay unique."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ActForm(PageForm):
    id_prefix = "act"
    target = forms.ChoiceField(choices=[("topic", "Topic"), ("post", "Post")])
    target_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, label="Id")
    action = forms.ChoiceField(choices=[(name, ACTION_LABELS[name]) for name in ACTIONS])
    reason = reason_field()
    rule = rule_field()
    title = forms.CharField(max_length=TITLE_LIMIT, required=False, label="New title (edit, topics)")
    body = forms.CharField(
        max_length=BODY_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="New text (edit)",
    )


class SuspendForm(PageForm):
    id_prefix = "suspend"
    username = forms.CharField(max_length=150, label="Member's username")
    days = forms.IntegerField(
        min_value=1, max_value=3650, initial=7, help_text="The suspension ends by itself."
    )
    reason = reason_field()
    rule = rule_field()


class LiftForm(forms.Form):
    reason = reason_field()


class SlowModeForm(forms.Form):
    seconds = forms.IntegerField(
        min_value=0,
        max_value=LONGEST_SECONDS,
        label="Seconds between posts",
        help_text="0 turns slow mode off.",
    )
    reason = reason_field()
    rule = rule_field()


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=FlagReason.choices, widget=forms.RadioSelect, label="What is wrong?")
    rule = GuidelineChoice(
        queryset=Guideline.objects.filter(is_active=True).order_by("number"),
        required=False,
        empty_label="—",
        label="Which rule does it break?",
        help_text="Needed when it breaks a community guideline.",
    )
    note = forms.CharField(
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything moderators should know (optional)",
    )

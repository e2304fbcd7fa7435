"""The proposal, comment and vote forms on the guideline pages (the services check everything else)."""

from django import forms

from townsquare.community.guidelines import rules
from townsquare.community.guidelines.text import COMMENT_LIMIT, RATIONALE_LIMIT, RULE_TEXT_LIMIT, TITLE_LIMIT
from townsquare.community.models import Guideline, ProposalKind, VoteChoice


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label="What do you propose?", choices=ProposalKind.choices)
    guideline = forms.ModelChoiceField(
        label="Rule to change or remove",
        queryset=Guideline.objects.none(),
        required=False,
        empty_label="(a new rule)",
        help_text="leave as “a new rule” when adding one",
    )
    title = forms.CharField(
        label="Rule title", max_length=TITLE_LIMIT, required=False, help_text="not needed to remove a rule"
    )
    text = forms.CharField(
        label="Rule text (Markdown)",
        max_length=RULE_TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="the full text as it would read once adopted; not needed to remove a rule",
    )
    rationale = forms.CharField(
        label="Why?", max_length=RATIONALE_LIMIT, widget=forms.Textarea(attrs={"rows": 5}), min_length=10
    )
    discussion_days = forms.IntegerField(
        label="Days of discussion before the vote",
        min_value=rules.MIN_DISCUSSION_DAYS,
        max_value=rules.MAX_DISCUSSION_DAYS,
        initial=rules.DISCUSSION_DAYS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guideline"].queryset = Guideline.objects.filter(is_active=True).order_by("number")


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment (Markdown)", max_length=COMMENT_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label="Your vote", choices=VoteChoice.choices, widget=forms.RadioSelect)

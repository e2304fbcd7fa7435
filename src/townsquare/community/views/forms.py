"""The community's forms. They only shape input; the services decide what is allowed and why."""

from django import forms

from townsquare.community.models import TopicKind
from townsquare.community.posting import BODY_LIMIT, MAX_TAGS, TITLE_LIMIT


class AskForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_LIMIT,
        help_text="Say what is wrong or what you want to know, as a question someone could search for.",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=BODY_LIMIT,
        label="Details",
        help_text="What you tried, what happened, which model or version. Markdown works.",
    )
    tags = forms.CharField(
        required=False,
        help_text=f"Up to {MAX_TAGS}, separated by spaces or commas: lowercase letters, digits and -.",
    )
    kind = forms.ChoiceField(
        choices=TopicKind.choices,
        initial=TopicKind.QUESTION,
        widget=forms.RadioSelect,
        help_text="A question can get an accepted answer; a discussion is open-ended.",
    )

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))


class EditTopicForm(forms.Form):
    title = forms.CharField(max_length=TITLE_LIMIT)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), max_length=BODY_LIMIT, label="Details")
    tags = forms.CharField(required=False, help_text="Separated by spaces or commas.")

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))


class PostForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=BODY_LIMIT, label="Text")


class SignupForm(forms.Form):
    username = forms.CharField(max_length=30, help_text="3 to 30 characters: letters, digits, and . _ -")
    email = forms.EmailField(help_text="For notifications you choose; never shown to others.")
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False), strip=False, help_text="At least 8 characters."
    )
    display_name = forms.CharField(max_length=100, required=False, help_text="Shown next to your posts.")
    languages = forms.CharField(
        required=False, max_length=60, help_text="The languages you read, like: en, es"
    )


def split_tags(value: str) -> list[str]:
    return [part for part in value.replace(",", " ").split() if part]

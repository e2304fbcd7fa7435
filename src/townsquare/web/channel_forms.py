"""The configure form of a channel, built from its connector's `settings_schema`.

The form only collects what was typed; `connectors.config.configure_channel` reads and checks the
values, so the console, the API and the CLI accept exactly the same things. Secrets are password
fields that are never filled in: empty keeps the stored secret, "clear" removes it.
"""

from django import forms

from townsquare.connectors.base import ConfigInvalid, Setting
from townsquare.connectors.setting_values import MAX_SECRET, MAX_TEXT

SETTING = "setting-"
SECRET = "secret-"  # noqa: S105 (a form field prefix, not a password)
CLEAR = "clear-"
INPUT_TYPES = {"email": "email", "url": "url", "int": "number"}


def _setting_field(setting: Setting, current) -> forms.Field:
    common = {"label": setting.label, "help_text": setting.help, "required": False}
    if setting.kind == "bool":
        return forms.BooleanField(initial=bool(current), **common)
    if setting.kind == "list":
        initial = "\n".join(current) if isinstance(current, list) else current
        help_text = " ".join(filter(None, [setting.help, "One per line."]))
        return forms.CharField(
            initial=initial,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=MAX_TEXT * 4,
            **{**common, "help_text": help_text},
        )
    widget = forms.TextInput(attrs={"type": INPUT_TYPES.get(setting.kind, "text")})
    # As text, so an untouched number compares equal to what the browser sends back.
    initial = None if current is None else str(current)
    return forms.CharField(initial=initial, widget=widget, max_length=MAX_TEXT, strip=False, **common)


class ChannelSettingsForm(forms.Form):
    def __init__(self, schema: tuple[Setting, ...], settings: dict, secrets_set: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.secrets_set = set(secrets_set)
        for setting in schema:
            if setting.secret:
                self.fields[SECRET + setting.name] = forms.CharField(
                    label=setting.label,
                    help_text=setting.help,
                    required=False,
                    strip=False,
                    max_length=MAX_SECRET,
                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                )
                self.fields[CLEAR + setting.name] = forms.BooleanField(label="Clear", required=False)
            else:
                self.fields[SETTING + setting.name] = _setting_field(
                    setting, settings.get(setting.name, setting.default)
                )

    def rows(self):
        """(setting, field, clear field or None, is set) in schema order, for the template."""
        for setting in self.schema:
            if setting.secret:
                yield (
                    setting,
                    self[SECRET + setting.name],
                    self[CLEAR + setting.name],
                    setting.name in self.secrets_set,
                )
            else:
                yield setting, self[SETTING + setting.name], None, None

    def changes(self) -> tuple[dict, dict]:
        """(settings, secrets) to hand to configure_channel; call after is_valid()."""
        settings, secrets = {}, {}
        for setting in self.schema:
            if setting.secret:
                typed = self.cleaned_data.get(SECRET + setting.name) or ""
                if self.cleaned_data.get(CLEAR + setting.name):
                    if typed:
                        self.add_error(SECRET + setting.name, "type a new value or clear it, not both")
                    secrets[setting.name] = None
                elif typed:
                    secrets[setting.name] = typed
            elif SETTING + setting.name in self.changed_data:
                # Only what was edited: an untouched default is not written down as a choice.
                value = self.cleaned_data.get(SETTING + setting.name)
                settings[setting.name] = value if setting.kind == "bool" else (value or "")
        return settings, secrets

    def show_refusal(self, refusal: ConfigInvalid) -> None:
        """Put each refused setting's reason next to its field; the rest above the form."""
        placed = False
        for name, reason in refusal.fields.items():
            for prefix in (SETTING, SECRET):
                if prefix + name in self.fields:
                    self.add_error(prefix + name, reason)
                    placed = True
                    break
            else:
                self.add_error(None, f"{name}: {reason}")
                placed = True
        if not placed:
            self.add_error(None, str(refusal))

from django import forms

from conventions.rendering.text import normalise_newlines


class VersionedForm(forms.ModelForm):
    """Carries the version the record had when the form was opened (see Versioned)."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["opened_version"] = self.instance.version
        # A record being created has no earlier version to compare with.
        self.fields["opened_version"].required = not self.instance._state.adding

    def rebased_on(self, current):
        """The same form, holding what its user typed, opened again on `current` (what someone else
        saved meanwhile): sent as it is, it saves the user's version over theirs, knowingly."""
        data = self.data.copy()
        data[self.add_prefix("opened_version")] = current.version
        return type(self)(data, instance=current)

    def differences_with(self, current):
        """(label, saved value, value typed) of each field where the user's version differs from
        `current`."""
        return [
            (field.label, getattr(current, name), self.cleaned_data[name])
            for name, field in self.fields.items()
            if name in self._meta.fields and comparable(getattr(current, name)) != comparable(self.cleaned_data[name])
        ]


def comparable(value):
    """A browser sends a text's line breaks as CRLF, an import or a fixture as LF: not a difference."""
    return normalise_newlines(value) if isinstance(value, str) else value

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

    def clean(self):
        cleaned = super().clean()
        if self.has_error("opened_version"):  # a hidden field: its own error would show nowhere
            self.add_error(
                None,
                "Cette page a été ouverte avant une mise à jour de l'application : copiez ce que vous avez "
                "saisi, rechargez la page, puis enregistrez à nouveau.",
            )
        return cleaned

    def rebased_on(self, current):
        """The same form opened again on `current` (what someone else saved meanwhile): it holds
        what its user typed, and, in the fields the user left as they were, what the other person
        saved. Sent as it is, it keeps both changes; where both wrote, the user's, knowingly."""
        opened = self.opened_record(current)
        data = self.data.copy()
        for name in self.edited_fields():
            if opened is not None and not self.typed(name, opened):
                value = getattr(current, name)
                data[self.add_prefix(name)] = "" if value is None else value
        data[self.add_prefix("opened_version")] = current.version
        return type(self)(data, instance=current)

    def differences_with(self, current):
        """(label, saved value, value typed) of each field both people changed, differently: what
        the user must choose between. A field only one of them changed is no difference
        (rebased_on keeps that change). Without the opened version in the history, every field
        where the user's version differs from `current`."""
        opened = self.opened_record(current)
        return [
            (self.fields[name].label, getattr(current, name), self.cleaned_data[name])
            for name in self.edited_fields()
            if comparable(getattr(current, name)) != comparable(self.cleaned_data[name])
            and (opened is None or (self.typed(name, opened) and changed(name, opened, current)))
        ]

    def edited_fields(self):
        return [name for name in self.fields if name in self._meta.fields]

    def typed(self, name, opened):
        """Whether the user changed `name` from what the form showed when it was opened."""
        return comparable(self.cleaned_data[name]) != comparable(getattr(opened, name))

    def opened_record(self, current):
        """The record as the form showed it when it was opened (its history at the version the form
        carries), or None when no history keeps it."""
        history = getattr(current, "history", None)
        if history is None or "version" not in {field.name for field in history.model._meta.fields}:
            return None
        return history.filter(version=self.cleaned_data["opened_version"]).order_by("-history_date").first()


def changed(name, opened, current):
    return comparable(getattr(opened, name)) != comparable(getattr(current, name))


def comparable(value):
    """A browser sends a text's line breaks as CRLF, an import or a fixture as LF: not a difference."""
    return normalise_newlines(value) if isinstance(value, str) else value

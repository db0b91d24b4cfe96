from django import forms

from conventions.models import AvenantChange

from .versioning import VersionedForm


class ChangeForm(VersionedForm):
    """The new text of an article or annex rewritten by an avenant."""

    class Meta:
        model = AvenantChange
        fields = ["new_text"]
        widgets = {"new_text": forms.Textarea(attrs={"rows": 20, "class": "font-monospace"})}

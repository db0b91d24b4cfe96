from django import forms

from conventions.models import Annex, Article
from conventions.rendering.text import normalise_newlines


class VersionedForm(forms.ModelForm):
    """Carries the version the record had when the form was opened (see Versioned)."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version

    def clean_text(self):
        return normalise_newlines(self.cleaned_data["text"])


class ArticleForm(VersionedForm):
    class Meta:
        model = Article
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 22, "class": "font-monospace"})}
        labels = {"text": "Texte de l'article (Markdown)"}


class AnnexTextForm(VersionedForm):
    class Meta:
        model = Annex
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10, "class": "font-monospace"})}
        labels = {"text": "Texte en tête de l'annexe (Markdown)"}

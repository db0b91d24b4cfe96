from django import forms

from conventions.models import Annex, Article
from conventions.rendering.text import normalise_newlines

from .versioning import VersionedForm


class SectionTextForm(VersionedForm):
    def clean_text(self):
        return normalise_newlines(self.cleaned_data["text"])


class ArticleForm(SectionTextForm):
    class Meta:
        model = Article
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 22, "class": "font-monospace"})}
        labels = {"text": "Texte de l'article (Markdown)"}


class AnnexTextForm(SectionTextForm):
    class Meta:
        model = Annex
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10, "class": "font-monospace"})}
        labels = {"text": "Texte en tête de l'annexe (Markdown)"}

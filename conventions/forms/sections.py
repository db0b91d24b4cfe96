from django import forms
from django.core.exceptions import ValidationError

from conventions.models import Annex, Article
from conventions.rendering.text import TABLE_SLOT_RE, normalise_newlines

from .versioning import VersionedForm


def check_table_slot(text, section):
    """A `::: tableau` line places an annex's table: in a text with no table to place, it would
    print as typed (an article) or place nothing (a text annex)."""
    if TABLE_SLOT_RE.search(text) and not section.has_a_table:
        raise ValidationError(
            "La ligne « ::: tableau » place le tableau d'une annexe, et ce texte n'a pas de tableau : "
            "retirez cette ligne."
        )
    return text


class SectionTextForm(VersionedForm):
    def clean_text(self):
        return check_table_slot(normalise_newlines(self.cleaned_data["text"]), self.instance)


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

"""The convention's own copy of its model's articles and annexes, and its key figures."""

from django.db import models
from simple_history.models import HistoricalRecords

from conventions.rendering.text import PLACEHOLDER_RE, placeholder_key
from conventions.rendering.values import title_values

from .convention import Convention
from .lifecycle import FrozenWhenSigned
from .template import AnnexKind
from .versioning import Versioned


class Section(FrozenWhenSigned, Versioned):
    """What the convention's articles and annexes share: its own copy of the model's text."""

    has_a_table = False

    key = models.SlugField("clé", max_length=60)
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("titre", max_length=300, blank=True)
    text = models.TextField("texte (Markdown)", blank=True)

    history = HistoricalRecords(inherit=True, excluded_fields=["version"])

    class Meta:
        abstract = True
        ordering = ["convention", "position"]

    def __str__(self):
        return self.display_title or self.key

    @property
    def display_title(self):
        """The title as the PDF prints it, for the editing pages: a model's title may name the
        convention's years ("Plan d'actions {{ annee_debut }}-{{ annee_fin }} - …")."""
        if "{{" not in self.title:
            return self.title
        values = title_values(self.convention)
        return PLACEHOLDER_RE.sub(lambda match: values.get(placeholder_key(match[1]), match[0]), self.title)

    @property
    def guidance(self):
        return self.template.guidance if self.template_id else ""


class Article(Section):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="articles", verbose_name="convention"
    )
    template = models.ForeignKey(
        "conventions.ArticleTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="article du modèle",
    )
    numbered = models.BooleanField("numéroté", default=True)
    editable = models.BooleanField("modifiable", default=True)

    class Meta(Section.Meta):
        verbose_name = "article"
        verbose_name_plural = "articles"
        constraints = [
            models.UniqueConstraint(fields=["convention", "position"], name="unique_article_position"),
            models.UniqueConstraint(fields=["convention", "key"], name="unique_article_key"),
        ]


class Annex(Section):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="annexes", verbose_name="convention"
    )
    template = models.ForeignKey(
        "conventions.AnnexTemplate", on_delete=models.SET_NULL, null=True, blank=True, verbose_name="annexe du modèle"
    )
    kind = models.CharField("nature", max_length=20, choices=AnnexKind.choices, default=AnnexKind.TEXT)
    required = models.BooleanField("obligatoire avant signature", default=True)

    class Meta(Section.Meta):
        verbose_name = "annexe"
        verbose_name_plural = "annexes"
        constraints = [
            models.UniqueConstraint(fields=["convention", "position"], name="unique_annex_position"),
            models.UniqueConstraint(fields=["convention", "key"], name="unique_annex_key"),
        ]

    @property
    def has_a_table(self):
        """Whether the annex prints a table of its own (équipements, instances, fiches…), which a
        `::: tableau` line in its text may place."""
        return self.kind != AnnexKind.TEXT


class KeyFigure(FrozenWhenSigned):
    """A figure of the territory quoted in the text through `{{ chiffre_<key> }}`."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="figures", verbose_name="convention"
    )
    key = models.SlugField("clé", max_length=60)
    label = models.CharField("libellé", max_length=200)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    unit = models.CharField("unité", max_length=20, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["convention", "position"]
        constraints = [models.UniqueConstraint(fields=["convention", "key"], name="unique_figure_key")]

    def __str__(self):
        return self.label

"""A Caf's model of a convention: ordered article and annex templates, options, guidance.

Models are data loaded from `fixtures/models/` (see fixtures/README.md): a new model is a fixture.
"""

from django.db import models

from .caf import Caf
from .collectivite import CollectiviteKind


class ConventionKind(models.TextChoices):
    CTG = "ctg", "Convention territoriale globale"
    ACTE_ENGAGEMENT = "acte_engagement", "Acte d'engagement"


# How the parties clause names the document being signed, by kind of convention.
SIGNED_DOCUMENT = {
    ConventionKind.CTG: "la présente convention",
    ConventionKind.ACTE_ENGAGEMENT: "le présent acte d'engagement",
}


class AnnexKind(models.TextChoices):
    TEXT = "text", "Texte"
    DIAGNOSTIC = "diagnostic", "Diagnostic partagé"
    EQUIPMENTS = "equipments", "Équipements et services"
    ACTION_PLAN = "action_plan", "Plan d'actions"
    STEERING = "steering", "Pilotage"
    DELIBERATIONS = "deliberations", "Délibérations"


class StructureType(models.TextChoices):
    EAJE_PSU = "eaje_psu", "Établissement d'accueil du jeune enfant (PSU)"
    EAJE = "eaje", "Établissement d'accueil du jeune enfant (EAJE)"
    MICRO_CRECHE_PAJE = "micro_creche_paje", "Micro-crèche Paje"
    MAM = "mam", "Maison d'assistants maternels (MAM)"
    ACCUEIL_DOMICILE = "accueil_domicile", "Accueil au domicile"
    RPE = "rpe", "Relais petite enfance (RPE)"
    RAM = "ram", "Relais assistants maternels (RAM)"
    PASSERELLE = "passerelle", "Dispositif passerelle"
    LAEP = "laep", "Lieu d'accueil enfants-parents (LAEP)"
    MAISON_1000_JOURS = "maison_1000_jours", "Maison des 1000 premiers jours"
    PARENTALITE = "parentalite", "Soutien à la parentalité"
    ALSH = "alsh", "Accueil de loisirs sans hébergement (ALSH)"
    ALSH_PERISCOLAIRE = "alsh_periscolaire", "ALSH périscolaire"
    ALSH_EXTRASCOLAIRE = "alsh_extrascolaire", "ALSH extrascolaire"
    ACCUEIL_JEUNES = "accueil_jeunes", "Accueil de jeunes"
    CLAS = "clas", "Contrat local d'accompagnement à la scolarité (CLAS)"
    CENTRE_SOCIAL = "centre_social", "Centre social"
    EVS = "evs", "Espace de vie sociale (EVS)"
    LUDOTHEQUE = "ludotheque", "Ludothèque"
    FJT = "fjt", "Foyer de jeunes travailleurs (FJT)"
    AUTRE = "autre", "Autre"


class ActionGrid(models.TextChoices):
    """Which grid the model's fiches actions use."""

    CTG = "ctg", "Fiche action CTG"
    CTG_WITHOUT_DIAGNOSIS = "ctg_sans_diagnostic", "Fiche action CTG sans diagnostic initial (Nord)"
    CTG_WITH_AO = "ctg_ao", "Fiche action CTG avec spécificités par autorité organisatrice (2025)"
    COORDINATION = "coordination", "Fiche action pour la coordination (acte d'engagement)"


class ConventionTemplate(models.Model):
    slug = models.SlugField("identifiant", unique=True)
    name = models.CharField("nom", max_length=200)
    caf = models.ForeignKey(
        Caf,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="templates",
        verbose_name="Caf",
        help_text="Vide pour un modèle national.",
    )
    kind = models.CharField("nature", max_length=20, choices=ConventionKind.choices, default=ConventionKind.CTG)
    version_date = models.DateField("date de version")
    structure_types = models.JSONField("types de structures de l'annexe équipements", default=list, blank=True)
    action_grid = models.CharField(
        "grille des fiches actions", max_length=20, choices=ActionGrid.choices, default=ActionGrid.CTG
    )
    deliberation_clause = models.CharField(
        "délibération qui autorise une collectivité à signer",
        max_length=200,
        blank=True,
        help_text="Imprimé après « dûment autorisé à signer la présente convention » pour une commune, un EPCI "
        "ou un Département : « par délibération de son {council} » donne « par délibération de son conseil "
        "municipal » (ou communautaire, ou départemental).",
    )

    class Meta:
        verbose_name = "modèle de convention"
        verbose_name_plural = "modèles de convention"
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def signed_document(self):
        """ "la présente convention", "le présent acte d'engagement"."""
        return SIGNED_DOCUMENT[self.kind]

    def default_options(self):
        return {option.key: option.default for option in self.options.all()}

    @property
    def has_ao_tables(self):
        """The AO table and the places projections belong to the models whose fiches actions have
        AO specifics (the 2025 national model, annexe 3): the model's grid says so."""
        return self.action_grid == ActionGrid.CTG_WITH_AO

    @property
    def structure_type_choices(self):
        labels = dict(StructureType.choices)
        return [(code, labels.get(code, code)) for code in self.structure_types]


class TemplateOption(models.Model):
    """A choice the model leaves to each convention: a yes/no clause or one of several wordings."""

    template = models.ForeignKey(
        ConventionTemplate, on_delete=models.CASCADE, related_name="options", verbose_name="modèle"
    )
    key = models.SlugField("clé", max_length=60)
    label = models.CharField("libellé", max_length=200)
    choices = models.JSONField(
        "choix", default=list, blank=True, help_text="Liste de {value, label} ; vide pour une option oui/non."
    )
    default = models.JSONField("valeur par défaut", null=True, blank=True)
    guidance = models.TextField("consignes aux rédacteurs", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    follows_signatory_kind = models.CharField(
        "suit les signataires",
        max_length=20,
        choices=CollectiviteKind.choices,
        blank=True,
        help_text="Option oui/non cochée exactement quand une collectivité de ce type signe la convention.",
    )

    class Meta:
        verbose_name = "option du modèle"
        verbose_name_plural = "options du modèle"
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="unique_option_key_per_template")]

    def __str__(self):
        return self.label

    @property
    def is_boolean(self):
        return not self.choices

    @property
    def default_label(self):
        """How new conventions start: « Cochée », « Non cochée », or the label of the choice."""
        if self.is_boolean:
            return "Cochée" if self.default else "Non cochée"
        labels = {choice["value"]: choice["label"] for choice in self.choices}
        return labels.get(self.default, "—")


class SectionTemplate(models.Model):
    """What articles and annexes of a model share: a key, a title, a Markdown text and guidance."""

    key = models.SlugField("clé", max_length=60)
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("titre", max_length=300, blank=True)
    text = models.TextField("texte (Markdown)", blank=True)
    guidance = models.TextField("consignes aux rédacteurs", blank=True, help_text="Jamais imprimées.")

    class Meta:
        abstract = True
        ordering = ["template", "position"]

    def __str__(self):
        return self.title or self.key


class ArticleTemplate(SectionTemplate):
    template = models.ForeignKey(
        ConventionTemplate, on_delete=models.CASCADE, related_name="articles", verbose_name="modèle"
    )
    numbered = models.BooleanField(
        "numéroté", default=True, help_text="Non pour les parties, les visas, le préambule et la signature."
    )
    editable = models.BooleanField("modifiable par convention", default=True)

    class Meta(SectionTemplate.Meta):
        verbose_name = "article du modèle"
        verbose_name_plural = "articles du modèle"
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="unique_article_position_per_template"),
            models.UniqueConstraint(fields=["template", "key"], name="unique_article_key_per_template"),
        ]


class AnnexTemplate(SectionTemplate):
    template = models.ForeignKey(
        ConventionTemplate, on_delete=models.CASCADE, related_name="annexes", verbose_name="modèle"
    )
    kind = models.CharField("nature", max_length=20, choices=AnnexKind.choices, default=AnnexKind.TEXT)
    required = models.BooleanField("obligatoire avant signature", default=True)
    optional_with = models.CharField(
        "facultative avec l'option",
        max_length=60,
        blank=True,
        help_text="« clé=valeur » d'une option du modèle avec laquelle l'annexe obligatoire peut rester vide.",
    )

    class Meta(SectionTemplate.Meta):
        verbose_name = "annexe du modèle"
        verbose_name_plural = "annexes du modèle"
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="unique_annex_position_per_template"),
            models.UniqueConstraint(fields=["template", "key"], name="unique_annex_key_per_template"),
        ]

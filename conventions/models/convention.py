"""A convention, its signatories and its own copy of the model's articles and annexes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from conventions.wording import french_date

from .caf import Caf, Representative
from .collectivite import Collectivite
from .template import AnnexKind, ConventionKind, ConventionTemplate

MAX_DURATION_YEARS = 4
ACTE_ENGAGEMENT_DURATION_YEARS = 1


class EditConflict(Exception):
    """Someone saved the record since it was opened: `current` is what they saved."""

    def __init__(self, current):
        super().__init__("modifié entre-temps")
        self.current = current


class Versioned(models.Model):
    """Optimistic locking: a form carries the version it was opened at, and a save from a stale
    version is refused rather than overwriting what someone else saved meanwhile."""

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_unchanged(self, opened_version):
        """Save, unless the record changed since `opened_version`; then raise EditConflict with the
        saved record. The compare-and-set is one UPDATE, so it holds on SQLite and PostgreSQL."""
        with transaction.atomic():
            claimed = type(self).objects.filter(pk=self.pk, version=opened_version).update(version=opened_version + 1)
            if not claimed:
                raise EditConflict(type(self).objects.get(pk=self.pk))
            self.version = opened_version + 1
            self.save()


class ConventionStatus(models.TextChoices):
    """The lifecycle of a convention.

    - draft: Caf staff write it from the model;
    - consultation: the text is negotiated with the signatories (en concertation);
    - validated: the completeness report is empty, the text is ready to sign;
    - signed: every party signed; the text is frozen, changes go through an avenant;
    - terminated: ended early (résiliation).
    Whether a signed convention is in force or expired follows from its dates.
    """

    DRAFT = "draft", "Brouillon"
    CONSULTATION = "consultation", "En concertation"
    VALIDATED = "validated", "Validée"
    SIGNED = "signed", "Signée"
    TERMINATED = "terminated", "Résiliée"


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The conventions a user may read (DESIGN §2): their Caf's for Caf users, those their
        collectivité signs for commune users, all for superusers, none otherwise."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.caf_id and user.is_caf_user:
            return self.filter(caf_id=user.caf_id)
        if user.collectivite_id and user.is_commune_user:
            return self.filter(
                pk__in=Signatory.objects.filter(collectivite_id=user.collectivite_id).values("convention_id")
            )
        return self.none()

    def search(self, text):
        """By reference, title, territory or the name of a signatory."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(reference__icontains=text)
            | models.Q(title__icontains=text)
            | models.Q(territory__icontains=text)
            | models.Q(pk__in=Signatory.objects.filter(collectivite__name__icontains=text).values("convention_id"))
        )

    def ending_between(self, start, end):
        return self.filter(end_date__gte=start, end_date__lte=end)

    @transaction.atomic
    def create_from_template(self, template, **fields):
        """Create a convention with its own copy of the model's articles and annexes and the
        default value of each option."""
        fields.setdefault("options", template.default_options())
        convention = self.create(template=template, **fields)
        bulk_create_with_history(
            [
                Article(
                    convention=convention,
                    template=article,
                    key=article.key,
                    position=article.position,
                    title=article.title,
                    text=article.text,
                    numbered=article.numbered,
                    editable=article.editable,
                )
                for article in template.articles.all()
            ],
            Article,
        )
        bulk_create_with_history(
            [
                Annex(
                    convention=convention,
                    template=annex,
                    key=annex.key,
                    position=annex.position,
                    title=annex.title,
                    text=annex.text,
                    kind=annex.kind,
                    required=annex.required,
                )
                for annex in template.annexes.all()
            ],
            Annex,
        )
        return convention


class Convention(Versioned):
    reference = models.SlugField(
        "référence", max_length=80, unique=True, help_text="Identifiant lisible, par exemple nord-armentieres-2023."
    )
    template = models.ForeignKey(
        ConventionTemplate, on_delete=models.PROTECT, related_name="conventions", verbose_name="modèle"
    )
    caf = models.ForeignKey(Caf, on_delete=models.PROTECT, related_name="conventions", verbose_name="Caf")
    title = models.CharField("titre", max_length=300)
    territory = models.CharField(
        "territoire", max_length=300, help_text="Tel qu'il se lit dans le texte : « la commune d'Aubergenville »."
    )
    is_example = models.BooleanField(
        "données d'exemple", default=False, help_text="Territoire ou données inventés pour la démonstration."
    )
    start_date = models.DateField("date de début")
    end_date = models.DateField("date de fin")
    signature_place = models.CharField("lieu de signature", max_length=100, blank=True)
    signature_date = models.DateField("date de signature", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT
    )
    options = models.JSONField("options du modèle", default=dict, blank=True)
    missing_count = models.PositiveIntegerField(
        "points à compléter", null=True, blank=True, editable=False, help_text="Au dernier enregistrement."
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConventionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version", "missing_count"])

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-start_date", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="convention_starts_before_it_ends",
                violation_error_message="La date de début doit précéder la date de fin.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    @staticmethod
    def max_end_date(start_date, kind=ConventionKind.CTG):
        """The latest end date the duration rule allows (DESIGN §4, "Duration").

        A CTG runs at most until 31 December of the year of its start + 4 (MAX_DURATION_YEARS);
        an acte d'engagement lasts one year at most, ending the day before its anniversary.
        """
        if kind == ConventionKind.ACTE_ENGAGEMENT:
            anniversary = _add_years(start_date, ACTE_ENGAGEMENT_DURATION_YEARS)
            return anniversary - datetime.timedelta(days=1)
        return datetime.date(start_date.year + MAX_DURATION_YEARS, 12, 31)

    def clean(self):
        super().clean()
        if not (self.start_date and self.end_date):
            return
        if self.start_date > self.end_date:
            raise ValidationError({"end_date": "La date de fin doit suivre la date de début."})
        kind = self.template.kind if self.template_id else ConventionKind.CTG
        latest = self.max_end_date(self.start_date, kind)
        if self.end_date > latest:
            rule = (
                "un acte d'engagement dure un an au plus"
                if kind == ConventionKind.ACTE_ENGAGEMENT
                else f"une convention dure au plus jusqu'au 31 décembre de l'année de début + {MAX_DURATION_YEARS}"
            )
            raise ValidationError(
                {
                    "end_date": f"Règle de durée : {rule} ; la date de fin doit être au plus tard "
                    f"le {french_date(latest)}."
                }
            )
        if self.template_id and self.caf_id and self.template.caf_id not in (None, self.caf_id):
            raise ValidationError({"template": "Ce modèle appartient à une autre Caf."})

    @property
    def years(self):
        """The calendar years the convention covers: the columns of its projection tables."""
        return list(range(self.start_date.year, self.end_date.year + 1))

    @property
    def is_signed(self):
        return self.status == ConventionStatus.SIGNED

    def add_signatory(self, *, caf=None, collectivite=None):
        """Add a party at the end of the signing order. The Caf signs through the representatives of
        its record (copied, so later changes to the Caf do not alter this convention)."""
        position = (self.signatories.aggregate(models.Max("position"))["position__max"] or 0) + 1
        if caf:
            signatory = Signatory.objects.create(convention=self, position=position, caf=caf, alias="la Caf")
            SignatoryRepresentative.objects.bulk_create(
                SignatoryRepresentative(signatory=signatory, **person.as_fields())
                for person in caf.representatives.all()
            )
            return signatory
        return Signatory.objects.create(
            convention=self, position=position, collectivite=collectivite, alias=collectivite.default_alias
        )

    def collectivites(self):
        """The collectivités that sign this convention."""
        return Collectivite.objects.filter(signatures__convention=self).order_by("signatures__position")


def _add_years(date, years):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


class Signatory(models.Model):
    """A party to the convention: the Caf or a collectivité, with its representatives."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="signatories", verbose_name="convention"
    )
    position = models.PositiveSmallIntegerField("ordre de signature")
    caf = models.ForeignKey(Caf, on_delete=models.PROTECT, null=True, blank=True, verbose_name="Caf")
    collectivite = models.ForeignKey(
        Collectivite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name="collectivité",
    )
    history = HistoricalRecords()
    alias = models.CharField("ci-après dénommé(e)", max_length=100, blank=True, help_text="« la Caf », « la commune »")
    signed_on = models.DateField("signée le", null=True, blank=True)

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["convention", "position"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "position"], name="unique_signatory_position"),
            models.CheckConstraint(
                condition=models.Q(caf__isnull=True, collectivite__isnull=False)
                | models.Q(caf__isnull=False, collectivite__isnull=True),
                name="signatory_is_caf_or_collectivite",
                violation_error_message="Un signataire est soit la Caf, soit une collectivité.",
            ),
        ]

    def __str__(self):
        return str(self.caf or self.collectivite)

    @property
    def designation(self):
        """ "la Caisse d'allocations familiales du Nord", "la commune d'Armentières"."""
        if self.caf_id:
            return f"la {self.caf.legal_name}"
        return self.collectivite.designation

    @property
    def short_designation(self):
        """ "la Caf du Nord", "la commune d'Armentières": the heading of its signature block."""
        if self.caf_id:
            return f"la {self.caf.name}"
        return self.collectivite.designation


class SignatoryRepresentative(Representative):
    signatory = models.ForeignKey(
        Signatory, on_delete=models.CASCADE, related_name="representatives", verbose_name="signataire"
    )

    class Meta(Representative.Meta):
        verbose_name = "représentant du signataire"
        verbose_name_plural = "représentants des signataires"


class Section(Versioned):
    """What the convention's articles and annexes share: its own copy of the model's text."""

    key = models.SlugField("clé", max_length=60)
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("titre", max_length=300, blank=True)
    text = models.TextField("texte (Markdown)", blank=True)

    history = HistoricalRecords(inherit=True, excluded_fields=["version"])

    class Meta:
        abstract = True
        ordering = ["convention", "position"]

    def __str__(self):
        return self.title or self.key

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


class KeyFigure(models.Model):
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

"""A convention: its dates, its model, its options, its lifecycle."""

import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from conventions.searching import normalize_for_search
from conventions.wording import french_date

from .caf import Caf
from .collectivite import Collectivite
from .searchable import Searchable, SearchableQuerySet
from .status import (
    FROZEN_REASONS,
    FROZEN_STATUSES,
    STATUS_CHANGES_WHEN_FROZEN,
    TERMINATION_FIELDS,
    WRITABLE_WHEN_FROZEN,
    ConventionStatus,
    TerminationGround,
)
from .template import ConventionKind, ConventionTemplate
from .versioning import Versioned

MAX_DURATION_YEARS = 4
ACTE_ENGAGEMENT_DURATION_YEARS = 1
# The years a convention of this application can start and end in.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# How long after a convention's creation the same creation form sent again is taken for a second click.
SECOND_SEND_WINDOW = datetime.timedelta(minutes=2)


class ConventionQuerySet(SearchableQuerySet):
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
                pk__in=self.model.objects.filter(signatories__collectivite_id=user.collectivite_id).values("pk")
            )
        return self.none()

    def search(self, text):
        """By reference, title or territory, by the name, INSEE code or SIREN of a collectivité
        that signs it, or by the name of a signatory's representative, whatever the case, accents
        and apostrophes typed."""
        words = normalize_for_search(text)
        if not words:
            return self
        code = text.strip().upper()
        matching = self.model.objects.filter(
            models.Q(search_text__contains=words)
            | models.Q(signatories__collectivite__search_text__contains=words)
            | models.Q(signatories__collectivite__insee_code=code)
            | models.Q(signatories__collectivite__siren=code)
            | models.Q(signatories__representatives__search_text__contains=words)
        )
        return self.filter(pk__in=matching.values("pk"))

    def created_a_moment_ago(self, caf, reference, title):
        """The convention a creation form sent a moment ago made, if it is sent again (a double
        click, a reload): the second send then finds it rather than saying its reference is taken."""
        return self.filter(
            caf=caf, reference=reference, title=title, created_at__gte=timezone.now() - SECOND_SEND_WINDOW
        ).first()

    def ending_between(self, start, end):
        return self.filter(end_date__gte=start, end_date__lte=end)

    @transaction.atomic
    def create_from_template(self, template, **fields):
        """Create a convention with its own copy of the model's articles and annexes and the
        default value of each option."""
        from .sections import Annex, Article

        fields.setdefault("options", template.default_options())
        if "caf" in fields:  # the convention keeps the date it was written with, whatever the Caf decides later
            fields.setdefault("ca_deliberation_date", fields["caf"].ca_deliberation_date)
        convention = self.create(template=template, **fields)
        copied = ("key", "position", "title", "text")
        for model, sections, own in (
            (Article, template.articles, ("numbered", "editable")),
            (Annex, template.annexes, ("kind", "required")),
        ):
            bulk_create_with_history(
                [
                    model(
                        convention=convention,
                        template=section,
                        **{name: getattr(section, name) for name in copied + own},
                    )
                    for section in sections.all()
                ],
                model,
            )
        from conventions.prerendering import content_changed

        content_changed(convention.pk)
        return convention


class Convention(Searchable, Versioned):
    search_sources = ("reference", "title", "territory")

    reference = models.SlugField(
        "référence", max_length=80, unique=True, help_text="Identifiant lisible, par exemple nord-armentieres-2023."
    )
    template = models.ForeignKey(
        ConventionTemplate, on_delete=models.PROTECT, related_name="conventions", verbose_name="modèle"
    )
    caf = models.ForeignKey(Caf, on_delete=models.PROTECT, related_name="conventions", verbose_name="Caf")
    title = models.CharField("titre", max_length=300)
    territory = models.CharField(
        "territoire",
        max_length=300,
        help_text="Tel qu'il se lit dans le texte, avec son article : « la commune de … », "
        "« la communauté de communes … ».",
    )
    is_example = models.BooleanField(
        "données d'exemple", default=False, help_text="Territoire ou données inventés pour la démonstration."
    )
    start_date = models.DateField("date de début")
    end_date = models.DateField("date de fin")
    signature_place = models.CharField("lieu de signature", max_length=100, blank=True)
    ca_deliberation_date = models.DateField(
        "date de la délibération du conseil d'administration de la Caf",
        null=True,
        blank=True,
        help_text="Citée dans les visas. Reprise de la fiche de la Caf à la création de la convention, "
        "elle ne suit pas ses changements ultérieurs.",
    )
    signature_date = models.DateField("date de signature", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT
    )
    terminated_on = models.DateField("résiliée à compter du", null=True, blank=True)
    termination_ground = models.CharField(
        "motif de la résiliation", max_length=30, choices=TerminationGround.choices, blank=True
    )
    termination_details = models.TextField("précisions sur la résiliation", blank=True)
    options = models.JSONField("options du modèle", default=dict, blank=True)
    missing_count = models.PositiveIntegerField(
        "points à compléter", null=True, blank=True, editable=False, help_text="Au dernier enregistrement."
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConventionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version", "missing_count", "search_text"])

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
        self.check_dates_are_within_the_years_conventions_cover()
        if self.start_date > self.end_date:
            raise ValidationError({"end_date": "La date de fin doit suivre la date de début."})
        errors = self.end_date_errors(self.end_date)
        if errors:
            raise ValidationError({"end_date": errors})
        if self.template_id and self.caf_id and self.template.caf_id not in (None, self.caf_id):
            raise ValidationError({"template": "Ce modèle appartient à une autre Caf."})

    def end_date_errors(self, end_date):
        """DESIGN §4, "Duration": the convention may end on `end_date` only by the latest date its
        start date allows (`max_end_date`); the messages say why not."""
        kind = self.template.kind if self.template_id else ConventionKind.CTG
        latest = self.max_end_date(self.start_date, kind)
        if end_date <= latest:
            return []
        rule = (
            "un acte d'engagement dure un an au plus"
            if kind == ConventionKind.ACTE_ENGAGEMENT
            else f"une convention dure au plus jusqu'au 31 décembre de l'année de début + {MAX_DURATION_YEARS}"
        )
        return [f"Règle de durée : {rule} ; la date de fin doit être au plus tard le {french_date(latest)}."]

    def check_dates_are_within_the_years_conventions_cover(self):
        """A convention starts and ends between FIRST_YEAR and LAST_YEAR: 01/01/0001 or 9999 is a
        typing slip, which the home page would list first and no year filter would find."""
        errors = {
            name: f"Année invalide : indiquez une date entre {FIRST_YEAR} et {LAST_YEAR}."
            for name in ("start_date", "end_date")
            if not FIRST_YEAR <= getattr(self, name).year <= LAST_YEAR
        }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.refuse_change_if_signed()
        super().save(*args, **kwargs)

    def refuse_change_if_signed(self):
        """A signed convention's content never changes (DESIGN §4): only its status moves on, to its
        termination (STATUS_CHANGES_WHEN_FROZEN)."""
        if not self.pk:
            return
        stored = type(self).objects.filter(pk=self.pk).first()
        if stored is None or stored.status not in FROZEN_STATUSES:
            return
        from .lifecycle import ConventionFrozen

        if self.status != stored.status and (stored.status, self.status) not in STATUS_CHANGES_WHEN_FROZEN:
            raise ConventionFrozen(
                f"{stored.frozen_reason} Son statut ne peut pas revenir à « {self.get_status_display()} »."
            )
        from .avenant import amending

        # The termination's date and ground are written with it, and only then; the end date, by the
        # signature of an avenant that prolongs the convention.
        writable = WRITABLE_WHEN_FROZEN | (set(TERMINATION_FIELDS) if self.status != stored.status else set())
        writable |= {"end_date"} if amending.get() else set()
        changed = [
            field.name
            for field in self._meta.concrete_fields
            if field.name not in writable and getattr(stored, field.attname) != getattr(self, field.attname)
        ]
        if changed:
            raise ConventionFrozen(stored.frozen_reason)

    @property
    def years(self):
        """The calendar years the convention covers: those of its bilans annuels."""
        return list(range(self.start_date.year, self.end_date.year + 1))

    @cached_property
    def projection_years(self):
        """The columns of its projection tables: the years it covered when it was signed. An avenant
        that prolongs it changes no table (an avenant rewrites texts), so the tables keep the
        columns the parties signed, rather than gain one that nobody may fill."""
        from .avenant import AvenantStatus

        signed_end = (
            self.avenants.filter(status=AvenantStatus.SIGNED, new_end_date__isnull=False)
            .order_by("signature_date", "number")
            .values_list("replaced_end_date", flat=True)
            .first()
        )
        return list(range(self.start_date.year, (signed_end or self.end_date).year + 1))

    def projected_years_outside(self, start_date, end_date):
        """The years that hold a value in the places projections (2025 model, annex 3: one column
        per year of the convention) and that the period start_date–end_date would leave out."""
        years = set()
        for by_year in self.places_projections.values_list("by_year", flat=True):
            years |= {int(year) for year, value in (by_year or {}).items() if value not in (None, "")}
        return sorted(year for year in years if not start_date.year <= year <= end_date.year)

    def drop_projected_years_outside_the_period(self):
        """The places projections keep only the years of the convention (after its dates changed)."""
        years = set(self.years)
        for projection in self.places_projections.all():
            kept = {year: value for year, value in projection.by_year.items() if int(year) in years}
            if kept != projection.by_year:
                projection.by_year = kept
                projection.save(update_fields=["by_year"])

    def status_label(self, today=None):
        """The status as users read it: a signed convention is "en vigueur" between its dates and
        "expirée" after its end date (ConventionStatus docstring); a terminated one says from when."""
        if self.status == ConventionStatus.TERMINATED and self.terminated_on:
            return f"Résiliée à compter du {self.terminated_on:%d/%m/%Y}"
        if self.status != ConventionStatus.SIGNED:
            return self.get_status_display()
        today = today or datetime.date.today()
        if today > self.end_date:
            return "Expirée"
        if today >= self.start_date:
            return "En vigueur"
        return self.get_status_display()

    @property
    def is_signed(self):
        return self.status == ConventionStatus.SIGNED

    @property
    def is_frozen(self):
        """Signed or terminated: the text no longer changes (DESIGN §4, "Signed is frozen")."""
        return self.status in FROZEN_STATUSES

    @property
    def frozen_reason(self):
        """Why a signed or terminated convention refuses a change; empty before the signature."""
        return FROZEN_REASONS.get(self.status, "")

    def signed_copy(self):
        """The archived copy of the signed convention to hand out: sealed by the Caf when it was,
        else as rendered at the signature; None before the signature."""
        from .lifecycle import DocumentKind

        kinds = [DocumentKind.SEALED_PDF, DocumentKind.SIGNED_PDF]
        documents = {document.kind: document for document in self.signed_documents.filter(kind__in=kinds)}
        return next((documents[kind] for kind in kinds if kind in documents), None)

    def signed_copy_in_force(self):
        """The archived signed copy when it is still the text in force: the convention is signed
        (or terminated) and no avenant was signed since. After an avenant the text in force is the
        consolidated one, rendered like a draft; None before the signature too."""
        from .avenant import AvenantStatus

        if not self.is_frozen or self.avenants.filter(status=AvenantStatus.SIGNED).exists():
            return None
        return self.signed_copy()

    def options_in_force(self, signatories=None):
        """The convention's options, those that tell whether a kind of party signs read from its
        signatories: the Isère model prints « Les champs d'intervention du Département de l'Isère
        (si signataire) », so that part prints exactly when a département signs, whatever was ticked.
        `signatories`, with their collectivités, when the caller has them already."""
        options = dict(self.options or {})
        following = {
            option.key: option.follows_signatory_kind
            for option in self.template.options.all()
            if option.follows_signatory_kind
        }
        if following:
            if signatories is None:
                signatories = self.signatories.select_related("collectivite")
            kinds = {signatory.collectivite.kind for signatory in signatories if signatory.collectivite_id}
            options |= {key: kind in kinds for key, kind in following.items()}
        return options

    def signed_avenants(self):
        """(number, signature date) of each avenant signed, by number: the text in force integrates them."""
        from .avenant import AvenantStatus

        signed = self.avenants.filter(status=AvenantStatus.SIGNED).order_by("number")
        return list(signed.values_list("number", "signature_date"))

    def add_signatory(self, *, caf=None, collectivite=None):
        """Add a party at the end of the signing order. The Caf signs through the representatives of
        its record (copied, so later changes to the Caf do not alter this convention)."""
        from .signatory import Signatory, SignatoryRepresentative

        position = (self.signatories.aggregate(models.Max("position"))["position__max"] or 0) + 1
        if caf:
            signatory = Signatory.objects.create(convention=self, position=position, caf=caf, alias="la Caf")
            SignatoryRepresentative.objects.bulk_create(
                SignatoryRepresentative(signatory=signatory, **person.as_fields())
                for person in caf.representatives.all()
            )
            from conventions.prerendering import content_changed

            content_changed(self.pk)
            return signatory
        return Signatory.objects.create(
            convention=self, position=position, collectivite=collectivite, alias=collectivite.default_alias
        )

    def collectivites(self):
        """The collectivités that sign this convention."""
        return Collectivite.objects.filter(signatures__convention=self).order_by("signatures__position")


def _add_years(date, years):
    """The same day `years` later; a 29 February's anniversary in a common year is the 1st of March
    (the day after the 28th), so that a year from 29/02/2028 runs to 28/02/2029 inclusive."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return datetime.date(date.year + years, 3, 1)

"""The AO (autorité organisatrice) tables of the 2025 national model: who exercises each
competence, and the places each AO plans."""

import hashlib
import json
import math

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from conventions.models import Collectivite, CollectiviteKind, Convention
from conventions.models.collectivite import POPULATION_BOUND
from conventions.models.lifecycle import FrozenWhenSigned
from conventions.prerendering import content_changed
from conventions.wording import french_number
from plans import ao


class ExercisedBy(models.TextChoices):
    COMMUNE = "commune", "La commune"
    EPCI = "epci", "Transférée à l'EPCI"


class TransferScope(models.TextChoices):
    ALL = "all", "Toutes les communes"
    SOME = "some", "Une partie des communes"


class TableLineQuerySet(models.QuerySet):
    def fingerprint(self):
        """A digest of these lines as saved, every field of every line: it changes whenever a line is
        changed, added or deleted. A table page carries the one it was opened with, so that a save
        from a table someone changed meanwhile can be told apart and refused."""
        names = [field.attname for field in self.model._meta.concrete_fields]
        lines = [[getattr(line, name) for name in names] for line in sorted(self, key=lambda line: line.pk)]
        return hashlib.sha256(json.dumps(lines, cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()


class TableLine(FrozenWhenSigned):
    """A line of a table of the plan edited as a whole (the AO table, the projections)."""

    history = HistoricalRecords(inherit=True)

    objects = TableLineQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def last_saved_by(cls, convention):
        """Who last added, changed or deleted a line of the convention's table; None when the
        history does not know."""
        latest = (
            cls.history.filter(convention_id=convention.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
        return latest.history_user if latest else None


# The lines of the AO table in the 2025 national model's order (annex 3, "Tableau récapitulatif des
# compétences des autorités organisatrices"): the communes by name, then the EPCI; each with its
# competences in the order of the model and of CASF art. L. 214-1-3 (ao.COMPETENCES): recenser,
# informer, planifier, soutenir la qualité.
AO_TABLE_ORDER = (
    "convention",
    models.Case(
        models.When(collectivite__kind=CollectiviteKind.EPCI, then=models.Value(1)),
        default=models.Value(0),
    ),
    "collectivite__name",
    models.Case(
        *(models.When(competence=code, then=models.Value(rank)) for rank, (code, _label) in enumerate(ao.COMPETENCES))
    ),
)


class AOCompetenceQuerySet(TableLineQuerySet):
    def in_table_order(self):
        """The lines as the 2025 model's table lists them (AO_TABLE_ORDER), with their collectivité."""
        return list(self.select_related("collectivite").order_by(*AO_TABLE_ORDER))


def prefill_ao_table(convention):
    """Add, for each signatory commune, the competences its population makes mandatory, exercised by
    the commune; lines already there are kept. Returns how many lines were added."""
    existing = set(AOCompetence.objects.filter(convention=convention).values_list("collectivite_id", "competence"))
    added = [
        AOCompetence(convention=convention, collectivite=commune, competence=code, exercised_by=ExercisedBy.COMMUNE)
        for commune in convention.collectivites().filter(kind=CollectiviteKind.COMMUNE, population__isnull=False)
        for code in ao.mandatory_competences(commune.population)
        if (commune.pk, code) not in existing
    ]
    bulk_create_with_history(added, AOCompetence)
    content_changed(convention.pk)
    return len(added)


def signatory_communes(convention):
    """Each commune signing the convention, as `ao.table_breaches` checks them: id → (name,
    population)."""
    communes = convention.collectivites().filter(kind=CollectiviteKind.COMMUNE)
    return {commune.pk: (commune.name, commune.population) for commune in communes}


def saved_ao_table_breaches(convention):
    """What the convention's AO table, as saved, lacks under CASF art. L. 214-1-3
    (`ao.table_breaches`): the completeness report lists it before signature."""
    rows = convention.ao_competences.values_list("collectivite_id", "competence")
    return ao.table_breaches(rows, signatory_communes(convention))


class AOCompetence(TableLine):
    """One line of the AO table: a competence of a commune, or of the EPCI it was transferred to."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="ao_competences", verbose_name="convention"
    )
    collectivite = models.ForeignKey(Collectivite, on_delete=models.PROTECT, verbose_name="collectivité")
    competence = models.CharField("compétence", max_length=20, choices=ao.COMPETENCES)
    exercised_by = models.CharField("exercée par", max_length=10, choices=ExercisedBy.choices)
    transfer = models.CharField("transfert", max_length=10, choices=TransferScope.choices, blank=True)
    transferred_population = models.PositiveIntegerField(
        "population des communes ayant transféré", null=True, blank=True, validators=[POPULATION_BOUND]
    )

    objects = AOCompetenceQuerySet.as_manager()

    class Meta:
        verbose_name = "compétence AO"
        verbose_name_plural = "compétences AO"
        ordering = AO_TABLE_ORDER
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "collectivite", "competence"], name="unique_ao_competence_per_collectivite"
            )
        ]

    def __str__(self):
        return f"{self.collectivite} — {self.get_competence_display()}"

    @property
    def is_optional(self):
        """Exercised "à titre facultatif": not mandatory for the commune's population."""
        collectivite = self.collectivite
        if collectivite.kind != CollectiviteKind.COMMUNE or collectivite.population is None:
            return False
        return self.competence not in ao.mandatory_competences(collectivite.population)

    def clean(self):
        super().clean()
        if not self.collectivite_id:
            return
        if self.collectivite.kind == CollectiviteKind.EPCI:
            if self.exercised_by != ExercisedBy.EPCI:
                raise ValidationError({"exercised_by": "Une ligne d'EPCI porte une compétence transférée à l'EPCI."})
            if not self.transfer:
                raise ValidationError({"transfer": "Indiquez si toutes les communes ou une partie ont transféré."})
            self.check_transferred_population_fits_the_epci()
        elif self.collectivite.kind == CollectiviteKind.COMMUNE:
            self.check_the_transfer_is_told_on_the_epci_line()
        else:
            raise ValidationError({"collectivite": "Le tableau AO ne porte que sur des communes et des EPCI."})

    def check_the_transfer_is_told_on_the_epci_line(self):
        """The 2025 model's AO table tells a transfer on the EPCI's line: whether all the communes
        or some transferred the competence, and the "population totale de l'ensemble des communes
        ayant transféré leurs compétences". A commune's line says only who exercises it."""
        where = "se renseigne sur la ligne de l'EPCI, pas sur celle d'une commune : laissez ce champ vide."
        errors = {}
        if self.transfer:
            errors["transfer"] = f"Le transfert (toutes ou une partie des communes) {where}"
        if self.transferred_population is not None:
            errors["transferred_population"] = f"La population des communes ayant transféré {where}"
        if errors:
            raise ValidationError(errors)

    def check_transferred_population_fits_the_epci(self):
        """The "population totale de l'ensemble des communes ayant transféré leurs compétences" on an
        EPCI's line of the AO table (2025 national model, annex 3; CASF art. L. 214-1-3): those
        communes are communes of the EPCI, so their population cannot exceed the EPCI's own
        recorded population.

        When the EPCI has no population recorded, nothing is compared: the communes the product
        knows of are only those signing a convention, rarely all of the EPCI's, and their sum would
        refuse true figures in the name of a population the EPCI does not have."""
        epci_population = self.collectivite.population
        transferred = self.transferred_population
        if transferred is None or epci_population is None or transferred <= epci_population:
            return
        raise ValidationError(
            {
                "transferred_population": (
                    f"La population des communes ayant transféré ({french_number(transferred)}) "
                    f"dépasse celle de l'EPCI ({french_number(epci_population)} habitants)."
                )
            }
        )


class CareMode(models.TextChoices):
    """The rows of the 2025 model's places-projection table."""

    EAJE_PSU = "eaje_psu", "EAJE PSU"
    MICRO_CRECHE_PAJE = "micro_creche_paje", "Micro-crèche Paje"
    MAM = "mam", "MAM"
    ASSISTANTS_MATERNELS = "assistants_maternels", "Assistants maternels (hors MAM)"
    RPE = "rpe", "RPE"
    PASSERELLE = "passerelle", "Dispositifs passerelles"


# Beyond the offer of any AO on one line: a mistyped number (5 000 000 places) is refused.
MAX_PROJECTED_COUNT = 10_000
UNITS = {CareMode.RPE: "ETP", CareMode.PASSERELLE: "dispositifs"}


def unit_of(mode):
    """What a projection line of this mode counts: ETP for the RPE, dispositifs for the passerelles,
    places otherwise."""
    return UNITS.get(mode, "places")


def projected_count_error(mode, value):
    """Why `value` cannot be a count of a projection line of this `mode` (today's or a year's), or
    None: places and dispositifs are whole numbers, only the ETP of a RPE take decimals, and no line
    counts more than MAX_PROJECTED_COUNT."""
    unit = unit_of(mode)
    if value != int(value) and unit != "ETP":
        return f"Un nombre de {unit} est entier : {french_number(value)} n'en est pas un."
    if value > MAX_PROJECTED_COUNT:
        return (
            f"Au plus {french_number(MAX_PROJECTED_COUNT)} {unit} sur une ligne : "
            f"vérifiez le nombre saisi ({french_number(value)})."
        )
    return None


class PlacesProjection(TableLine):
    """One row of the "récapitulatif des structures existantes sur la petite enfance et des projets
    envisagés" (2025 national model, annex 3): for an AO that plans the offer and a mode d'accueil,
    the places (ETP for the RPE, number of dispositifs for passerelles) today and for each year of
    the convention, and the needs and investment projects behind them."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="places_projections", verbose_name="convention"
    )
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.PROTECT, verbose_name="autorité organisatrice (planification)"
    )
    mode = models.CharField("mode d'accueil ou dispositif", max_length=30, choices=CareMode.choices)
    current = models.DecimalField(
        "aujourd'hui", max_digits=8, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    by_year = models.JSONField("projection par année", default=dict, blank=True)
    jobs_and_skills_needs = models.TextField("besoins en emplois et compétences", blank=True)
    other_needs = models.TextField("autres besoins identifiés", blank=True)
    investment_type = models.TextField("type de projets d'investissement", blank=True)
    investment_cost_and_calendar = models.TextField("coûts et calendriers prévisionnels", blank=True)
    investment_engineering = models.TextField("ingénierie et moyens humains", blank=True)

    class Meta:
        verbose_name = "projection de places"
        verbose_name_plural = "projections de places"
        ordering = ["convention", "collectivite__name", "mode"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "collectivite", "mode"], name="unique_projection_per_ao_and_mode"
            )
        ]

    def __str__(self):
        return f"{self.collectivite} — {self.get_mode_display()}"

    @property
    def unit(self):
        return unit_of(self.mode)

    def values_for(self, years):
        return [self.by_year.get(str(year)) for year in years]

    def clean(self):
        super().clean()
        if not isinstance(self.by_year, dict):
            raise ValidationError({"by_year": "La projection se donne par année : {année: nombre}."})
        if self.convention_id:
            years = {str(year) for year in self.convention.years}
            unknown = sorted(set(map(str, self.by_year)) - years)
            if unknown:
                raise ValidationError({"by_year": f"Années hors de la durée de la convention : {', '.join(unknown)}."})
        if self.current is not None and (error := projected_count_error(self.mode, self.current)):
            raise ValidationError({"current": error})
        for year, value in self.by_year.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
                raise ValidationError({"by_year": f"{year} : un nombre positif est attendu."})
            if error := projected_count_error(self.mode, value):
                raise ValidationError({"by_year": f"{year} : {error}"})

"""The plan d'actions of a convention (axes and fiches actions) and its AO table."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conventions.models import ActionGrid, Collectivite, CollectiviteKind, Convention
from conventions.models.lifecycle import FrozenWhenSigned
from conventions.models.versioning import Versioned
from conventions.prerendering import content_changed
from conventions.wording import french_number
from plans import ao


class Axis(FrozenWhenSigned):
    """An axis of the plan d'actions, titled by a verb ("Renforcer l'offre d'accueil…")."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="axes", verbose_name="convention"
    )
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("intitulé", max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["convention", "position"]
        constraints = [models.UniqueConstraint(fields=["convention", "position"], name="unique_axis_position")]

    def __str__(self):
        return self.title

    def check_can_be_deleted(self):
        """An axis is deleted once empty: its fiches actions are deleted one by one, each after its
        own confirmation, so that none disappears unseen with its axis."""
        count = self.actions.count()
        if count:
            fiches = "fiche action" if count == 1 else "fiches actions"
            raise ValidationError(
                f"L'axe « {self.title} » contient encore {count} {fiches} : supprimez-les d'abord, une à une."
            )


class ActionSheet(FrozenWhenSigned, Versioned):
    """A fiche action: one action of an axis, with every field of the models' grids.

    The CTG grid (Yvelines, national 2025, Nord, Isère) and the Var coordination grid share this
    record; each model's template prints the fields of its own grid. The commune and the Caf both
    edit it while they negotiate: a save from a stale version is refused (Versioned).
    """

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="actions", verbose_name="axe")
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("intitulé de l'action", max_length=300)
    # The CTG grid.
    initial_diagnosis = models.TextField("diagnostic initial", blank=True)
    target_public = models.TextField("public cible", blank=True)
    operational_objectives = models.TextField("objectifs opérationnels", blank=True)
    implementation = models.TextField("modalités de mise en œuvre", blank=True)
    deadlines = models.TextField("échéances de réalisation", blank=True)
    services_and_leads = models.TextField("services mobilisés et responsables", blank=True)
    expected_results = models.TextField("résultats attendus", blank=True)
    partners = models.TextField("partenaires sollicités", blank=True)
    indicators = models.TextField("indicateurs d'évaluation", blank=True)
    ao_specifics = models.TextField("spécificités par autorité organisatrice signataire", blank=True)
    # The Var coordination grid.
    objectives = models.TextField("objectifs", blank=True)
    context = models.TextField("contexte", blank=True)
    description = models.TextField("action", blank=True)
    pilot = models.TextField("pilote", blank=True)
    method = models.TextField("méthode", blank=True)
    means = models.TextField("moyens", blank=True)
    start = models.CharField("début", max_length=100, blank=True)
    end = models.CharField("fin", max_length=100, blank=True)
    information = models.TextField("informations", blank=True)
    evaluation = models.TextField("évaluation", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        ordering = ["axis", "position"]
        constraints = [models.UniqueConstraint(fields=["axis", "position"], name="unique_action_position")]

    def __str__(self):
        return self.title

    @property
    def convention(self):
        return self.axis.convention

    def frozen_convention_id(self):
        return self.axis.convention_id

    @property
    def grid_fields(self):
        """The fields of this action's grid, as its convention's model defines it."""
        return ACTION_GRIDS[self.axis.convention.template.action_grid]

    @property
    def grid(self):
        """(label, value) rows of the fiche action, in the order of the model's grid."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.grid_fields]


CTG_GRID = (
    "initial_diagnosis",
    "target_public",
    "operational_objectives",
    "implementation",
    "deadlines",
    "services_and_leads",
    "expected_results",
    "partners",
    "indicators",
)
COORDINATION_GRID = (
    "objectives",
    "context",
    "description",
    "pilot",
    "method",
    "expected_results",
    "target_public",
    "means",
    "start",
    "end",
    "information",
    "evaluation",
)
ACTION_GRIDS = {
    ActionGrid.CTG: CTG_GRID,
    ActionGrid.CTG_WITH_AO: (*CTG_GRID, "ao_specifics"),
    ActionGrid.COORDINATION: COORDINATION_GRID,
}


class ExercisedBy(models.TextChoices):
    COMMUNE = "commune", "La commune"
    EPCI = "epci", "Transférée à l'EPCI"


class TransferScope(models.TextChoices):
    ALL = "all", "Toutes les communes"
    SOME = "some", "Une partie des communes"


class AOCompetenceQuerySet(models.QuerySet):
    def in_table_order(self):
        """Communes by name, the EPCI last, each with its competences in the order of the law."""
        rank = {code: index for index, (code, _label) in enumerate(ao.COMPETENCES)}
        rows = self.select_related("collectivite")
        return sorted(
            rows,
            key=lambda row: (
                row.collectivite.kind == CollectiviteKind.EPCI,
                row.collectivite.name,
                rank[row.competence],
            ),
        )


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
    AOCompetence.objects.bulk_create(added)
    content_changed(convention.pk)
    return len(added)


class AOCompetence(FrozenWhenSigned):
    """One line of the AO table: a competence of a commune, or of the EPCI it was transferred to."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="ao_competences", verbose_name="convention"
    )
    collectivite = models.ForeignKey(Collectivite, on_delete=models.PROTECT, verbose_name="collectivité")
    competence = models.CharField("compétence", max_length=20, choices=ao.COMPETENCES)
    exercised_by = models.CharField("exercée par", max_length=10, choices=ExercisedBy.choices)
    transfer = models.CharField("transfert", max_length=10, choices=TransferScope.choices, blank=True)
    transferred_population = models.PositiveIntegerField(
        "population des communes ayant transféré", null=True, blank=True
    )

    objects = AOCompetenceQuerySet.as_manager()

    class Meta:
        verbose_name = "compétence AO"
        verbose_name_plural = "compétences AO"
        ordering = ["convention", "collectivite__name", "competence"]
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
        elif self.collectivite.kind != CollectiviteKind.COMMUNE:
            raise ValidationError({"collectivite": "Le tableau AO ne porte que sur des communes et des EPCI."})

    def check_transferred_population_fits_the_epci(self):
        """The communes that transferred the competence are communes of the EPCI (CASF art.
        L. 214-1-3, as the 2025 model's AO table asks it): their population cannot exceed the
        EPCI's, when it is known."""
        population = self.collectivite.known_population()
        transferred = self.transferred_population
        if transferred is not None and population is not None and transferred > population:
            raise ValidationError(
                {
                    "transferred_population": (
                        f"La population des communes ayant transféré ({french_number(transferred)}) "
                        f"dépasse celle de l'EPCI ({french_number(population)} habitants)."
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


class PlacesProjection(FrozenWhenSigned):
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
        return {CareMode.RPE: "ETP", CareMode.PASSERELLE: "dispositifs"}.get(self.mode, "places")

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
        for year, value in self.by_year.items():
            if not isinstance(value, int | float) or value < 0:
                raise ValidationError({"by_year": f"{year} : un nombre positif est attendu."})


class FollowUpStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Non commencée"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    ABANDONED = "abandoned", "Abandonnée"


class FollowUpQuerySet(models.QuerySet):
    def latest_per_action(self):
        """The most recent update of each action (the "tableau de suivi partagé" shows these)."""
        latest = {}
        for follow_up in self.order_by("action_id", "-period", "-created_at"):
            latest.setdefault(follow_up.action_id, follow_up)
        return latest


class FollowUp(models.Model):
    """A quarterly update of an action (2025 model, art. 9, "tableau de suivi partagé"), dated and
    signed by its author."""

    action = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="action")
    period = models.DateField("trimestre", help_text="Premier jour du trimestre suivi.")
    status = models.CharField("état", max_length=20, choices=FollowUpStatus.choices)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField("commentaire", blank=True)
    indicator_value = models.DecimalField(
        "valeur de l'indicateur", max_digits=12, decimal_places=2, null=True, blank=True
    )
    indicator_target = models.DecimalField(
        "cible de l'indicateur", max_digits=12, decimal_places=2, null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="auteur"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi trimestriel"
        verbose_name_plural = "suivis trimestriels"
        ordering = ["action", "-period", "-created_at"]

    def __str__(self):
        return f"{self.action} — {self.quarter_label}"

    @property
    def quarter_label(self):
        return f"T{(self.period.month - 1) // 3 + 1} {self.period.year}"

    def clean(self):
        super().clean()
        if self.period and (self.period.day != 1 or self.period.month not in (1, 4, 7, 10)):
            raise ValidationError(
                {"period": "Indiquez le premier jour d'un trimestre (1er janvier, avril, juillet ou octobre)."}
            )
        self.check_quarter_is_within_the_convention_and_begun()
        if self.status == FollowUpStatus.DONE and self.progress is not None and self.progress != 100:
            raise ValidationError({"progress": "Une action réalisée est avancée à 100 %."})

    def check_quarter_is_within_the_convention_and_begun(self):
        """A follow-up reports on a quarter of the convention's period that has already begun.

        The quarter must overlap the convention's start_date..end_date (one that starts after the
        end, or ends before the start, is refused) and must not start after today: otherwise the
        plan, the dashboard and the final report would disagree on what was done.
        """
        if not self.period or not self.action_id:
            return
        convention = self.action.axis.convention
        last_day = quarter_last_day(self.period)
        if self.period > convention.end_date or last_day < convention.start_date:
            start, end = (f"{day:%d/%m/%Y}" for day in (convention.start_date, convention.end_date))
            raise ValidationError(
                {"period": f"Ce trimestre est hors de la période de la convention (du {start} au {end})."}
            )
        if self.period > timezone.localdate():
            raise ValidationError({"period": "Ce trimestre n'a pas encore commencé."})


def quarter_last_day(first_day):
    """The last day of the quarter that begins on `first_day`."""
    last_month = first_day.month + 2
    return datetime.date(first_day.year, last_month, calendar.monthrange(first_day.year, last_month)[1])

"""The plan d'actions of a convention: its axes and their fiches actions."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from conventions.models import ActionGrid, Convention
from conventions.models.lifecycle import FrozenWhenSigned
from conventions.models.versioning import Versioned


class AxisQuerySet(models.QuerySet):
    def add_at_the_end(self, convention, title):
        """A new axis after the last of the plan. Its place is taken with the convention row locked,
        so two axes added at the same instant take two places."""
        with transaction.atomic():
            list(Convention.objects.select_for_update().filter(pk=convention.pk).values_list("pk", flat=True))
            last = self.filter(convention=convention).aggregate(models.Max("position"))["position__max"]
            return self.create(convention=convention, position=(last or 0) + 1, title=title)

    def numbers(self):
        """{axis pk: the number it shows}: "Axe 1, 2, 3…" count the axes in order, whatever gaps a
        move or a deletion left in their positions."""
        ordered = self.order_by("position").values_list("pk", flat=True)
        return {pk: number for number, pk in enumerate(ordered, start=1)}


class Axis(FrozenWhenSigned):
    """An axis of the plan d'actions, titled by a verb ("Renforcer l'offre d'accueil…")."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="axes", verbose_name="convention"
    )
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("intitulé", max_length=300)

    history = HistoricalRecords()

    objects = AxisQuerySet.as_manager()

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
            if count == 1:
                remove = "1 fiche action : supprimez-la d'abord."
            else:
                remove = f"{count} fiches actions : supprimez-les d'abord, une à une."
            raise ValidationError(f"L'axe « {self.title} » contient encore {remove}")


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
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "position"],
                name="unique_action_position",
                violation_error_message="Deux fiches actions d'un même axe ne peuvent pas avoir le même ordre.",
            ),
            models.UniqueConstraint(
                fields=["axis", "title"],
                name="unique_action_title",
                violation_error_message="Deux fiches actions d'un même axe ne peuvent pas avoir le même intitulé.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        for check in (self.check_title_is_unique_in_its_axis, self.check_position_is_free_in_its_axis):
            try:
                check()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_at_the_end_of_its_axis(self):
        """Save a new fiche action after the last of its axis. Its place is taken with the axis row
        locked, so two fiches added to one axis at the same instant take two places (not one, which
        the database would refuse)."""
        with transaction.atomic():
            list(Axis.objects.select_for_update().filter(pk=self.axis_id).values_list("pk", flat=True))
            last = self.others_of_its_axis().aggregate(models.Max("position"))["position__max"]
            self.position = (last or 0) + 1
            self.save()

    def others_of_its_axis(self):
        return ActionSheet.objects.filter(axis_id=self.axis_id).exclude(pk=self.pk)

    def check_title_is_unique_in_its_axis(self):
        """A fiche action is known by its axis and its title (the import finds it so): two fiches of
        one axis never share a title."""
        if self.axis_id is None or not self.title:
            return
        if self.others_of_its_axis().filter(title=self.title).exists():
            raise ValidationError(
                {
                    "title": f"L'axe « {self.axis.title} » a déjà une fiche action intitulée « {self.title} » : "
                    "donnez à celle-ci un autre intitulé, ou complétez la fiche existante."
                }
            )

    def check_position_is_free_in_its_axis(self):
        """Each fiche action of an axis has its own place (its "ordre") in the axis."""
        if self.axis_id is None or self.position is None:
            return
        other = self.others_of_its_axis().filter(position=self.position).first()
        if other is not None:
            raise ValidationError(
                {
                    "position": f"L'ordre {self.position} est déjà celui de la fiche action « {other.title} » "
                    f"de l'axe « {self.axis.title} » : donnez à chaque fiche action d'un axe un ordre différent."
                }
            )

    @property
    def convention(self):
        return self.axis.convention

    def frozen_convention_id(self):
        return self.axis.convention_id

    @property
    def grid_fields(self):
        """The fields of this action's grid, as its convention's model defines it, then any other
        field of the grids this action holds text in: a model whose grid lost a row (a new release
        of the model) never hides what was written in it."""
        grid = ACTION_GRIDS[self.axis.convention.template.action_grid]
        return (*grid, *(name for name in EVERY_GRID_FIELD if name not in grid and getattr(self, name)))

    @property
    def grid(self):
        """(label, value) rows of the fiche action, in the order of the model's grid."""
        return [
            (PRINTED_LABELS.get(name) or self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.grid_fields
        ]


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
# A row of the printed grid named as in the seeds (Isère, national 2025, Nord) where the field's
# short name, used by the forms and the CSV import, says less.
PRINTED_LABELS = {"services_and_leads": "services mobilisés et responsables de l'action"}
ACTION_GRIDS = {
    ActionGrid.CTG: CTG_GRID,
    # The Nord seed's grid (annexe 4, « Titre action : / Public cible … »): no « Diagnostic initial ».
    ActionGrid.CTG_WITHOUT_DIAGNOSIS: CTG_GRID[1:],
    ActionGrid.CTG_WITH_AO: (*CTG_GRID, "ao_specifics"),
    ActionGrid.COORDINATION: COORDINATION_GRID,
}
EVERY_GRID_FIELD = tuple(dict.fromkeys(name for grid in ACTION_GRIDS.values() for name in grid))

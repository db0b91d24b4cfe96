"""The quarterly follow-up of the fiches actions."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .plan import ActionSheet


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

    def replaced(self):
        """The update of the same action and quarter recorded before this one, if any: the latest
        of a quarter is the one the tableau de suivi and the bilans show (latest_per_action)."""
        earlier = FollowUp.objects.filter(action=self.action_id, period=self.period).exclude(pk=self.pk)
        return earlier.filter(created_at__lte=self.created_at).order_by("-created_at").first()

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
        self.check_progress_agrees_with_the_status()

    def check_progress_agrees_with_the_status(self):
        """The progress tells the same as the état: an action réalisée is at 100 %, an action non
        commencée at 0 % (the tableau de suivi and the dashboard would otherwise disagree)."""
        if self.progress is None:
            return
        if self.status == FollowUpStatus.DONE and self.progress != 100:
            raise ValidationError({"progress": "Une action réalisée est avancée à 100 %."})
        if self.status == FollowUpStatus.NOT_STARTED and self.progress != 0:
            raise ValidationError({"progress": "Une action non commencée est avancée à 0 %."})

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


def quarter_first_day(day):
    """The first day of the quarter `day` falls in: the `period` of its follow-up."""
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_last_day(first_day):
    """The last day of the quarter that begins on `first_day`."""
    last_month = first_day.month + 2
    return datetime.date(first_day.year, last_month, calendar.monthrange(first_day.year, last_month)[1])

"""The bilans of a plan d'actions (2025 model, art. 9): annual, mid-term and final, assembled
from the quarterly follow-up."""

import datetime
from dataclasses import dataclass, field

from django.http import Http404

from plans.models import FollowUp, FollowUpStatus, quarter_first_day


@dataclass
class ReportAction:
    title: str
    indicators: str
    latest: FollowUp | None


@dataclass
class ReportAxis:
    number: int
    title: str
    actions: list = field(default_factory=list)

    @property
    def mean_progress(self):
        return (
            round(sum(a.latest.progress for a in self.actions if a.latest) / len(self.actions)) if self.actions else 0
        )


@dataclass
class Report:
    kind: str
    title: str
    start: datetime.date
    end: datetime.date
    axes: list

    @property
    def counts(self):
        statuses = [a.latest.status if a.latest else None for axis in self.axes for a in axis.actions]
        return {label: statuses.count(status) for status, label in FollowUpStatus.choices} | {
            "Sans suivi": statuses.count(None)
        }


def report_period(convention, kind, year=None):
    """The dates a bilan covers: a calendar year of the convention (annuel), its first half
    (intermédiaire, "à mi-parcours"), or its whole duration (final)."""
    start, end = convention.start_date, convention.end_date
    if kind != "annuel" and year is not None:
        raise Http404("Seul le bilan annuel se demande pour une année.")
    if kind == "annuel":
        if year not in convention.years:
            raise Http404("Cette année n'est pas couverte par la convention.")
        return max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
    if kind == "intermediaire":
        return start, mid_term_end(start, end)
    if kind == "final":
        return start, end
    raise Http404("Bilan inconnu.")


def mid_term_end(start, end):
    """The last day the bilan intermédiaire (« à mi-parcours ») covers: the end of the last whole
    quarter before the middle of the convention, since its follow-up is quarterly (national 2025
    model, art. 9: « tableau de suivi partagé »). 2025-2029 is followed until 30 June 2027, not
    until 2 July 2027."""
    middle = start + (end - start) / 2
    if quarter_first_day(middle + datetime.timedelta(days=1)) == middle + datetime.timedelta(days=1):
        return middle
    last_quarter_end = quarter_first_day(middle) - datetime.timedelta(days=1)
    return last_quarter_end if last_quarter_end > start else middle


TITLES = {"annuel": "Bilan annuel", "intermediaire": "Bilan intermédiaire", "final": "Bilan final"}


def build_report(convention, kind, year=None):
    """The bilan of `kind`: each fiche's latest follow-up of a quarter that overlaps its period (a
    convention starting on 15 February counts its first quarter's follow-up)."""
    start, end = report_period(convention, kind, year)
    latest = (
        FollowUp.objects.filter(
            action__axis__convention=convention, period__gte=quarter_first_day(start), period__lte=end
        )
        .select_related("author")
        .latest_per_action()
    )
    axes = []
    for number, axis in enumerate(convention.axes.prefetch_related("actions").order_by("position"), start=1):
        report_axis = ReportAxis(number, axis.title)
        for action in axis.actions.all():
            report_axis.actions.append(
                ReportAction(action.title, action.indicators or action.evaluation, latest.get(action.pk))
            )
        axes.append(report_axis)
    title = f"{TITLES[kind]} {year}" if kind == "annuel" else TITLES[kind]
    return Report(kind, title, start, end, axes)

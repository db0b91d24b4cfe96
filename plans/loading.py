"""Load the demo conventions with their plan d'actions and AO table (see fixtures/README.md)."""

from django.db import transaction

from conventions.completeness import refresh_missing_count
from conventions.loading import load_demo_convention, read_yaml_files
from conventions.models import FROZEN_STATUSES, Collectivite
from plans.models import ActionSheet, AOCompetence, Axis, PlacesProjection


@transaction.atomic
def load_demo(data):
    convention = load_demo_convention(data)
    if convention.status in FROZEN_STATUSES:
        return convention
    load_plan(convention, data.get("plan") or [])
    load_ao_table(convention, data.get("ao_competences") or [])
    load_projections(convention, data.get("projections") or [])
    refresh_missing_count(convention)
    return convention


def load_all_demo_conventions():
    return [load_demo(data) for data in read_yaml_files("demo")]


def load_plan(convention, axes):
    for axis_position, axis_data in enumerate(axes, start=1):
        axis = Axis.objects.create(convention=convention, position=axis_position, title=axis_data["title"])
        for action_position, action_data in enumerate(axis_data.get("actions") or [], start=1):
            fields = {key: _as_text(value) for key, value in action_data.items()}
            action = ActionSheet(axis=axis, position=action_position, **fields)
            action.full_clean()
            action.save()


def load_ao_table(convention, rows):
    for row in rows:
        row = dict(row)
        competence = AOCompetence(
            convention=convention, collectivite=Collectivite.objects.get(name=row.pop("collectivite")), **row
        )
        competence.full_clean()
        competence.save()


def load_projections(convention, rows):
    for row in rows:
        row = dict(row)
        row["by_year"] = {str(year): value for year, value in (row.get("by_year") or {}).items()}
        projection = PlacesProjection(
            convention=convention, collectivite=Collectivite.objects.get(name=row.pop("collectivite")), **row
        )
        projection.full_clean()
        projection.save()


def _as_text(value):
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value)
    return "" if value is None else str(value).strip("\n")

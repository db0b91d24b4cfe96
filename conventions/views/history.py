"""Who changed what, when: the history of a convention and of its parts (django-simple-history)."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.shortcuts import render

from conventions.models import (
    Annex,
    Article,
    Convention,
    Deliberation,
    DiagnosticFigure,
    DiagnosticSection,
    Equipment,
    Signatory,
    SteeringBody,
)

from .access import get_convention_for_user

HISTORY_LIMIT = 200
TEXT_MODELS = (Article, Annex)
ROW_MODELS = (Equipment, SteeringBody, DiagnosticSection, DiagnosticFigure, Deliberation, Signatory)
ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass
class Change:
    date: datetime
    user: object
    action: str
    what: str
    fields: list
    before: str = ""
    after: str = ""
    diff: list = None


def convention_history(request, pk):
    convention = get_convention_for_user(request, pk)
    changes = []
    for record in Convention.history.filter(id=convention.pk).select_related("history_user")[:HISTORY_LIMIT]:
        changes.append(change_of(record, "Informations de la convention"))
    for model in TEXT_MODELS + ROW_MODELS:
        records = model.history.filter(convention_id=convention.pk).select_related("history_user")
        for record in records[:HISTORY_LIMIT]:
            changes.append(change_of(record, f"{model._meta.verbose_name.capitalize()} « {record.instance} »"))
    changes.sort(key=lambda change: change.date, reverse=True)
    return render(
        request, "conventions/convention_history.html", {"convention": convention, "changes": changes[:HISTORY_LIMIT]}
    )


def change_of(record, what):
    previous = record.prev_record if record.history_type == "~" else None
    fields = []
    change = Change(record.history_date, record.history_user, ACTIONS[record.history_type], what, fields)
    if previous is not None:
        delta = record.diff_against(previous)
        for item in delta.changes:
            fields.append(record.instance_type._meta.get_field(item.field).verbose_name)
            if item.field == "text":
                change.before, change.after = item.old or "", item.new or ""
                change.diff = list(
                    difflib.unified_diff(change.before.splitlines(), change.after.splitlines(), lineterm="", n=1)
                )[2:]
    return change

"""Who changed what, when: the history of a convention and of its parts (django-simple-history)."""

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils.text import capfirst

from conventions.models import (
    Annex,
    Article,
    Avenant,
    AvenantChange,
    AvenantRepresentative,
    Collectivite,
    Convention,
    Deliberation,
    DiagnosticFigure,
    DiagnosticSection,
    Equipment,
    Signatory,
    SignatoryRepresentative,
    SteeringBody,
)
from conventions.wording import french_number

from .access import get_convention_for_user

HISTORY_LIMIT = 200
TEXT_MODELS = (Article, Annex)
ROW_MODELS = (Equipment, SteeringBody, DiagnosticSection, DiagnosticFigure, Deliberation, Signatory)
ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}
TEXT_FIELDS = ("text", "new_text")  # shown whole, with what changed line by line


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
    nothing_changed: bool = False  # a save that left every field as it was
    # (field, value before, value after) of the fields short enough to read in a line: a status
    # changed says from which to which (« Validée » → « Signée »), not only "statut".
    values: list = None


def convention_history(request, pk):
    convention = get_convention_for_user(request, pk)
    changes = [
        change_of(record, previous, "Informations de la convention")
        for record, previous in with_previous(Convention.history.filter(id=convention.pk))
    ]
    histories = [model.history.filter(convention_id=convention.pk) for model in TEXT_MODELS + ROW_MODELS]
    histories.append(SignatoryRepresentative.history.filter(signatory__convention_id=convention.pk))
    for records in histories + plan_histories(convention):
        changes += history_of(records, capfirst(records.model.instance_type._meta.verbose_name))
    for record, previous in with_previous(Avenant.history.filter(convention_id=convention.pk)):
        changes.append(change_of(record, previous, f"Avenant n°{record.number}"))
    changes += avenant_text_changes(convention)
    changes += avenant_signatory_changes(convention)
    # A page saved whole (the signatories) saves what it did not change: nothing to tell.
    changes = [change for change in changes if not change.nothing_changed]
    changes.sort(key=lambda change: change.date, reverse=True)
    return render(
        request, "conventions/convention_history.html", {"convention": convention, "changes": changes[:HISTORY_LIMIT]}
    )


def history_of(records, label):
    """The changes `records` tell, latest first, each named `label` « as the object then was »;
    the saves that changed nothing kept are left out."""
    pairs = with_previous(records)
    changes = [
        change_of(record, previous, f"{label} « {instance} »")
        for (record, previous), instance in zip(pairs, as_they_were([record for record, _ in pairs]), strict=True)
    ]
    return [change for change in changes if not change.nothing_changed]


def avenant_text_changes(convention):
    """The texts written for each avenant, saved after saved: « Avenant n°1 — Article « Durée » »,
    with the avenants' numbers and the sections' titles read in one query each."""
    pairs = with_previous(AvenantChange.history.filter(avenant__convention_id=convention.pk))
    numbers = dict(Avenant.objects.filter(convention=convention).values_list("pk", "number"))
    articles = Article.objects.in_bulk({record.article_id for record, _ in pairs if record.article_id})
    annexes = Annex.objects.in_bulk({record.annex_id for record, _ in pairs if record.annex_id})
    changes = []
    for record, previous in pairs:
        section = articles.get(record.article_id) or annexes.get(record.annex_id)
        kind = "Article" if record.article_id else "Annexe"
        what = f"Avenant n°{numbers.get(record.avenant_id, '?')} — {kind} « {section} »"
        changes.append(change_of(record, previous, what))
    return changes


def avenant_signatory_changes(convention):
    """Who signs each avenant, as named when it opened and as changed since: « Avenant n°2 —
    Signataire pour la commune d'Armentières « Madame Claire DUBOIS » »."""
    pairs = with_previous(AvenantRepresentative.history.filter(avenant__convention_id=convention.pk))
    numbers = dict(Avenant.objects.filter(convention=convention).values_list("pk", "number"))
    parties = Signatory.objects.filter(convention=convention).select_related("caf", "collectivite").in_bulk()
    changes = []
    for (record, previous), person in zip(pairs, as_they_were([record for record, _ in pairs]), strict=True):
        party = parties.get(record.signatory_id)
        designation = party.designation if party else "un signataire retiré"
        what = f"Avenant n°{numbers.get(record.avenant_id, '?')} — Signataire pour {designation} « {person} »"
        changes.append(change_of(record, previous, what))
    return changes


def plan_histories(convention):
    """The plan d'actions' axes and fiches actions, the AO table and the places projections: what
    was deleted stays readable here."""
    from plans.models import ActionSheet, AOCompetence, Axis, PlacesProjection  # plans depends on conventions

    return [
        Axis.history.filter(convention_id=convention.pk),
        ActionSheet.history.filter(axis__convention_id=convention.pk),
        AOCompetence.history.filter(convention_id=convention.pk),
        PlacesProjection.history.filter(convention_id=convention.pk),
    ]


def with_previous(records):
    """The latest HISTORY_LIMIT records, each with the record it modified (simple-history's
    `prev_record`, for "~" records only), in two queries however many records there are."""
    previous_id = (
        records.model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date")
        .values("history_id")[:1]
    )
    latest = list(
        records.select_related("history_user").annotate(previous_history_id=Subquery(previous_id))[:HISTORY_LIMIT]
    )
    wanted = [record.previous_history_id for record in latest if record.history_type == "~"]
    previous = records.model.objects.in_bulk([pk for pk in wanted if pk is not None])
    return [
        (record, previous.get(record.previous_history_id) if record.history_type == "~" else None) for record in latest
    ]


def as_it_was(record):
    """The object as the record saw it. simple-history's `record.instance` also reads the fields
    history does not keep (the edit counter `version`), one query per record."""
    model = record.instance_type
    kept = [field.attname for field in model._meta.concrete_fields if hasattr(record, field.attname)]
    return model(**{attname: getattr(record, attname) for attname in kept})


def as_they_were(records):
    """`as_it_was` of each record, with the collectivité their name shows (a line of the AO table
    is « Voiron — Recenser… ») read in one query, not one per record."""
    instances = [as_it_was(record) for record in records]
    with_collectivite = [instance for instance in instances if getattr(instance, "collectivite_id", None)]
    if with_collectivite:
        collectivites = Collectivite.objects.in_bulk({instance.collectivite_id for instance in with_collectivite})
        for instance in with_collectivite:
            if instance.collectivite_id in collectivites:  # PROTECT: always, unless a database is edited by hand
                instance.collectivite = collectivites[instance.collectivite_id]
    return instances


def change_of(record, previous, what):
    fields = []
    change = Change(record.history_date, record.history_user, ACTIONS[record.history_type], what, fields)
    if previous is not None:
        delta = record.diff_against(previous)
        change.values = []
        for item in delta.changes:
            field = record.instance_type._meta.get_field(item.field)
            fields.append(field.verbose_name)
            if item.field not in TEXT_FIELDS and not field.is_relation:
                change.values.append((field.verbose_name, *shown_change(field, item.old, item.new)))
            if item.field in TEXT_FIELDS:
                change.before, change.after = item.old or "", item.new or ""
                change.diff = list(
                    difflib.unified_diff(change.before.splitlines(), change.after.splitlines(), lineterm="", n=1)
                )[2:]
        change.nothing_changed = not fields
    return change


SHOWN_LENGTH = 120


def shown_change(field, old, new):
    """A field's value before and after, as the history line writes them. Of a value per key (the
    places projected for each year), only the keys whose value changed: « 2029 : 46 » → « 2029 :
    80 », a number saved again as 46.0 being no change."""
    if isinstance(old, dict) and isinstance(new, dict):
        changed = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
        old, new = ({key: values.get(key) for key in changed} for values in (old, new))
    return shown(field, old), shown(field, new)


def shown(field, value):
    """A field's value as the history page writes it: a choice by its label, a date in French
    order, a number the French way (« 1 234,5 », « 34 » for 34.0), a value per key as « 2025 : 34 ;
    2026 : 40 », nothing as « (vide) », a long text cut."""
    if value in (None, "") or value == {}:
        return "(vide)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float | Decimal):
        return french_number(value)
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {shown(field, item)}" for key, item in value.items())
    text = str(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"

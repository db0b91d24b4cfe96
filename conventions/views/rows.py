"""Rows of the annex tables (équipements, instances de pilotage, diagnostic, délibérations), added
and removed in place with htmx, changed on a page of their own. Which tables an annex shows is
data: ROW_EDITORS_BY_ANNEX_KIND."""

from dataclasses import dataclass

from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from conventions.forms import (
    DeliberationForm,
    DiagnosticFigureForm,
    DiagnosticSectionForm,
    EquipmentForm,
    SteeringBodyForm,
)
from conventions.models import AnnexKind, Deliberation, DiagnosticFigure, DiagnosticSection, Equipment, SteeringBody

from .access import can_fill_rows, get_convention_for_user, refusal
from .changes import after_change
from .documents import stored_file


@dataclass(frozen=True)
class RowEditor:
    slug: str
    title: str
    model: type
    form_class: type
    columns: tuple
    filled_by_communes: bool = False
    # What those who cannot edit the table see, when it differs (a value the convention blanks).
    columns_for_readers: tuple = ()

    @property
    def reader_columns(self):
        return self.columns_for_readers or self.columns

    @property
    def labels(self):
        fields = [column.removeprefix("get_").removesuffix("_display") for column in self.columns]
        return [capfirst(self.model._meta.get_field(field).verbose_name) for field in fields]

    def rows(self, convention):
        return self.model.objects.filter(convention=convention)

    def file_of(self, row):
        """The file a row holds (a délibération's PDF), or None when its table has no file column."""
        for field in self.model._meta.get_fields():
            if isinstance(field, models.FileField) and field.name in self.columns:
                return getattr(row, field.name)
        return None


ROW_EDITORS = {
    editor.slug: editor
    for editor in (
        RowEditor("equipements", "Équipements et services", Equipment, EquipmentForm,
                  ("collectivite", "get_structure_type_display", "name", "address", "manager", "capacity"),
                  filled_by_communes=True),
        RowEditor("instances", "Instances de pilotage", SteeringBody, SteeringBodyForm,
                  ("dispositif", "name", "missions", "composition", "periodicity")),
        RowEditor("sections", "Sections du diagnostic", DiagnosticSection, DiagnosticSectionForm, ("title", "text")),
        RowEditor("donnees", "Données du diagnostic", DiagnosticFigure, DiagnosticFigureForm,
                  ("label", "zone", "zone_allocataires", "value", "unit"),
                  columns_for_readers=("label", "zone", "zone_allocataires", "printed_value", "unit")),
        RowEditor("deliberations", "Délibérations", Deliberation, DeliberationForm,
                  ("collectivite", "number", "date", "actes_identifier", "file")),
    )
}  # fmt: skip

ROW_EDITORS_BY_ANNEX_KIND = {
    AnnexKind.EQUIPMENTS: ("equipements",),
    AnnexKind.STEERING: ("instances",),
    AnnexKind.DIAGNOSTIC: ("sections", "donnees"),
    AnnexKind.DELIBERATIONS: ("deliberations",),
}


def row_tables(convention, slugs, user):
    tables = []
    for slug in slugs:
        editor = ROW_EDITORS[slug]
        editable = can_fill_rows(user, convention, editor)
        tables.append(
            {
                "editor": editor,
                "labels": editor.labels,
                "rows": editor.rows(convention),
                "editable": editable,
                "form": editor.form_class(convention=convention, prefix=slug) if editable else None,
            }
        )
    return tables


def get_convention_and_editor(request, pk, slug, row_pk=None):
    """The convention, the table `slug` and its row `row_pk` (None without), if the user may fill
    that table (else 403). The row is looked up first: another convention's row answers 404,
    whatever the state of this one."""
    convention = get_convention_for_user(request, pk)
    editor = get_object_or_404_editor(convention, slug)
    row = get_object_or_404(editor.model, pk=row_pk, convention=convention) if row_pk is not None else None
    if not can_fill_rows(request.user, convention, editor):
        raise refusal(convention, "Vous ne pouvez pas modifier ce tableau.")
    return convention, editor, row


@require_POST
def row_add(request, pk, slug):
    """A row added in place (htmx: the new row, or the form with its errors in place of the add
    form); without JavaScript, back to the annex, or a page with the form and its errors."""
    convention, editor, _row = get_convention_and_editor(request, pk, slug)
    form = editor.form_class(request.POST, request.FILES, convention=convention, prefix=slug)
    form.instance.convention = convention
    if form.is_valid():
        form.save()
        after_change(request, convention, f"Ligne ajoutée : {form.instance}.")
        if request.htmx:
            return render(request, "conventions/includes/row.html", row_context(convention, editor, form.instance))
        return redirect(table_url(convention, editor))
    context = {"convention": convention, "table": {"editor": editor, "form": form}}
    if not request.htmx:
        context["back_url"] = table_url(convention, editor)
        return render(request, "conventions/row_add_refused.html", context, status=422)
    response = render(request, "conventions/includes/row_form.html", context)
    response["HX-Retarget"] = f"#add-{slug}"
    response["HX-Reswap"] = "outerHTML"
    return response


def row_edit(request, pk, slug, row_pk):
    """A row changed on a page of its own, reached by a link of its table (no JavaScript needed);
    back to the table once saved."""
    convention, editor, row = get_convention_and_editor(request, pk, slug, row_pk)
    row_label = str(row)  # before the form writes the values sent into the row
    form = editor.form_class(request.POST or None, request.FILES or None, instance=row, convention=convention)
    if request.method == "POST" and form.is_valid():
        form.save()
        after_change(request, convention, f"Ligne modifiée : {form.instance}.")
        return redirect(table_url(convention, editor))
    context = {
        "convention": convention,
        "editor": editor,
        "row_label": row_label,
        "form": form,
        "back_url": table_url(convention, editor),
    }
    return render(request, "conventions/row_edit.html", context, status=422 if form.errors else 200)


@require_POST
def row_delete(request, pk, slug, row_pk):
    convention, editor, row = get_convention_and_editor(request, pk, slug, row_pk)
    row.delete()
    after_change(request, convention, "Ligne supprimée.")
    if request.htmx:
        return HttpResponse("")
    return redirect(table_url(convention, editor))


def row_file(request, pk, slug, row_pk):
    """The file a row holds, for whoever reads the convention (uploads have no public URL)."""
    convention = get_convention_for_user(request, pk)
    editor = get_object_or_404_editor(convention, slug)
    row = get_object_or_404(editor.model, pk=row_pk, convention=convention)
    file = editor.file_of(row)
    if not file:
        raise Http404("Cette ligne n'a pas de fichier.")
    return stored_file(file, missing="Le fichier de cette ligne est introuvable.")


def get_object_or_404_editor(convention, slug):
    """The table editor `slug`, if one of the convention's annexes shows that table."""
    kinds = set(convention.annexes.values_list("kind", flat=True))
    allowed = {allowed_slug for kind in kinds for allowed_slug in ROW_EDITORS_BY_ANNEX_KIND.get(kind, ())}
    if slug not in allowed:
        raise Http404("Cette convention n'a pas ce tableau.")
    return ROW_EDITORS[slug]


def table_url(convention, editor):
    """The table on the page of the annex that shows it."""
    kinds = [kind for kind, slugs in ROW_EDITORS_BY_ANNEX_KIND.items() if editor.slug in slugs]
    annex = convention.annexes.filter(kind__in=kinds).order_by("position").first()
    return reverse("annex_edit", args=[convention.pk, annex.pk]) + f"#table-{editor.slug}"


def row_context(convention, editor, row):
    return {"convention": convention, "editor": editor, "row": row, "editable": True}

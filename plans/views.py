from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from simple_history.utils import bulk_update_with_history

from conventions.models.versioning import EditConflict
from conventions.prerendering import content_changed
from conventions.rendering.pdf import layout, pdf_options
from conventions.views.confirm import confirm_deletion
from plans.access import (
    get_convention_for_plan,
    may_fill_plan,
    refuse_structure_changes_once_signed,
    why_plan_is_read_only,
)
from plans.dashboard import chart_height, progress_by_axis
from plans.forms import AOTableFormSet, AxisForm, FollowUpForm, ProjectionFormSet, action_sheet_form_class
from plans.imports import importers_for
from plans.models import ActionSheet, Axis, FollowUp, prefill_ao_table
from plans.reports import build_report
from plans.resources import EXPORT_FORMATS, export_follow_up_table


def plan(request, pk):
    """The plan d'actions: axes, their actions and each action's latest quarterly update."""
    convention = get_convention_for_plan(request, pk)
    return render_plan(request, convention, AxisForm())


def render_plan(request, convention, axis_form, status=200):
    axes = list(
        convention.axes.prefetch_related(Prefetch("actions", queryset=ActionSheet.objects.order_by("position")))
    )
    latest = FollowUp.objects.filter(action__axis__convention=convention).latest_per_action()
    for axis in axes:
        for action in axis.actions.all():
            action.latest = latest.get(action.pk)
    context = {
        "convention": convention,
        "axes": axes,
        "axis_form": axis_form,
        "can_fill": may_fill_plan(request.user, convention),
        "structure_open": not convention.is_frozen,
        "importers": importers_for(convention),
    }
    return render(request, "plans/plan.html", context, status=status)


@require_POST
def axis_add(request, pk):
    """A new axis at the end of the plan; a refused title comes back on the plan page, with why."""
    convention = get_convention_for_plan(request, pk, edit=True, structure=True)
    form = AxisForm(request.POST)
    if form.is_valid():
        Axis.objects.add_at_the_end(convention, form.cleaned_data["title"])
        messages.success(request, "Axe ajouté.")
        return redirect("plan", pk=convention.pk)
    return render_plan(request, convention, form, status=422)


def axis_edit(request, pk, axis_pk):
    """An axis renamed."""
    convention = get_convention_for_plan(request, pk, edit=True)
    axis = get_object_or_404(Axis, pk=axis_pk, convention=convention)
    refuse_structure_changes_once_signed(convention)
    form = AxisForm(request.POST or None, instance=axis)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Axe renommé.")
        return redirect("plan", pk=convention.pk)
    return render(request, "plans/axis_edit.html", {"convention": convention, "axis": axis, "form": form})


def axis_delete(request, pk, axis_pk):
    """An empty axis deleted, after a page that asks to confirm (or says why it cannot be)."""
    convention = get_convention_for_plan(request, pk, edit=True)
    axis = get_object_or_404(Axis, pk=axis_pk, convention=convention)
    refuse_structure_changes_once_signed(convention)
    try:
        axis.check_can_be_deleted()
    except ValidationError as error:
        blocker = error.message
    else:
        blocker = None
        if request.method == "POST":
            axis.delete()
            messages.success(request, f"Axe « {axis.title} » supprimé.")
            return redirect("plan", pk=convention.pk)
    return confirm_deletion(
        request,
        convention,
        active="plan",
        what=f"l'axe « {axis.title} »",
        blocker=blocker,
        cancel_url=reverse("plan", args=[convention.pk]),
    )


@require_POST
def axis_move(request, pk, axis_pk, direction):
    """Swap an axis with its neighbour (buttons "monter" / "descendre")."""
    convention = get_convention_for_plan(request, pk, edit=True)
    axis = get_object_or_404(Axis, pk=axis_pk, convention=convention)
    refuse_structure_changes_once_signed(convention)
    swap_with_neighbour(axis, convention.axes.all(), direction)
    return redirect("plan", pk=convention.pk)


@require_POST
def action_move(request, pk, action_pk, direction):
    convention = get_convention_for_plan(request, pk, edit=True)
    action = get_object_or_404(ActionSheet, pk=action_pk, axis__convention=convention)
    refuse_structure_changes_once_signed(convention)
    swap_with_neighbour(action, action.axis.actions.all(), direction)
    return redirect("plan", pk=convention.pk)


def swap_with_neighbour(item, siblings, direction):
    """`direction` is "monter" or "descendre" (the URL admits nothing else). The places are read
    with the rows locked: two moves sent at once (two people, two clicks) take turns."""
    with transaction.atomic():
        ordered = list(siblings.select_for_update().order_by("position"))
        index = ordered.index(item)
        other_index = index - 1 if direction == "monter" else index + 1
        if not 0 <= other_index < len(ordered):
            return
        other = ordered[other_index]
        # Positions are unique: park one out of the way while the other takes its place.
        item_position, other_position = ordered[index].position, other.position
        parked = max(entry.position for entry in ordered) + 1
        type(item).objects.filter(pk=item.pk).update(position=parked)
        type(item).objects.filter(pk=other.pk).update(position=item_position)
        type(item).objects.filter(pk=item.pk).update(position=other_position)
        # The raw updates above write no history: the convention's history tells the move.
        moved, other.position = ordered[index], item_position
        moved.position = other_position
        bulk_update_with_history([moved, other], type(item), fields=[])
        content_changed(item.frozen_convention_id())


def action_edit(request, pk, action_pk=None, axis_pk=None):
    """A fiche action with every field of the model's grid; a new one when `axis_pk` is given."""
    convention = get_convention_for_plan(request, pk, edit=request.method == "POST")
    if action_pk:
        action = get_object_or_404(
            ActionSheet.objects.select_related("axis"), pk=action_pk, axis__convention=convention
        )
    else:
        action = ActionSheet(axis=get_object_or_404(Axis, pk=axis_pk, convention=convention))
    if request.method == "POST" or action.pk is None:
        # A signed plan reads its fiches; a new one is a change of its structure, even to open.
        refuse_structure_changes_once_signed(convention)
    form = action_sheet_form_class(action)(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            if action.pk:
                form.instance.save_if_unchanged(form.cleaned_data["opened_version"])
            else:
                form.save(commit=False).save_at_the_end_of_its_axis()
        except EditConflict as conflict:
            return render_action(
                request,
                convention,
                conflict.current,
                form.rebased_on(conflict.current),
                status=409,
                theirs=conflict.current,
                differences=form.differences_with(conflict.current),
            )
        messages.success(request, f"Fiche action « {action.title} » enregistrée.")
        return redirect("plan", pk=convention.pk)
    return render_action(request, convention, action, form)


def render_action(request, convention, action, form, follow_up_form=None, status=200, **extra):
    context = {
        "convention": convention,
        "action": action,
        "form": form,
        "can_fill": not why_plan_is_read_only(request.user, convention),
        "follow_ups": action.follow_ups.select_related("author") if action.pk else [],
        "follow_up_form": follow_up_form or FollowUpForm(),
        **extra,
    }
    return render(request, "plans/action_edit.html", context, status=status)


def action_delete(request, pk, action_pk):
    """A fiche action deleted, after a page that says what goes with it (its quarterly updates)."""
    convention = get_convention_for_plan(request, pk, edit=True)
    action = get_object_or_404(ActionSheet, pk=action_pk, axis__convention=convention)
    refuse_structure_changes_once_signed(convention)
    if request.method == "POST":
        action.delete()
        messages.success(request, f"Fiche action « {action.title} » supprimée.")
        return redirect("plan", pk=convention.pk)
    follow_ups = action.follow_ups.count()
    consequences = []
    if follow_ups == 1:
        consequences.append("Son suivi trimestriel enregistré sera supprimé avec elle.")
    elif follow_ups:
        consequences.append(f"Ses {follow_ups} suivis trimestriels enregistrés seront supprimés avec elle.")
    return confirm_deletion(
        request,
        convention,
        active="plan",
        what=f"la fiche action « {action.title} »",
        consequences=consequences,
        cancel_url=reverse("action_edit", args=[convention.pk, action.pk]),
    )


@require_POST
def follow_up_add(request, pk, action_pk):
    """A quarterly update, signed by whoever records it; it goes on after signature."""
    convention = get_convention_for_plan(request, pk, edit=True)
    action = get_object_or_404(ActionSheet, pk=action_pk, axis__convention=convention)
    form = FollowUpForm(request.POST, instance=FollowUp(action=action, author=request.user))
    if form.is_valid():
        follow_up = form.save()
        replaced = follow_up.replaced()
        if replaced:
            messages.success(
                request,
                f"Suivi du {follow_up.quarter_label} enregistré : pour ce trimestre, il remplace celui enregistré "
                f"le {timezone.localtime(replaced.created_at):%d/%m/%Y}, qui reste dans l'historique ci-dessous.",
            )
        else:
            messages.success(request, "Suivi trimestriel enregistré.")
        return redirect("action_edit", pk=convention.pk, action_pk=action.pk)
    return render_action(
        request, convention, action, action_sheet_form_class(action)(instance=action), form, status=422
    )


def dashboard(request, pk):
    convention = get_convention_for_plan(request, pk)
    axes = progress_by_axis(convention)
    return render(
        request, "plans/dashboard.html", {"convention": convention, "axes": axes, "chart_height": chart_height(axes)}
    )


def get_convention_with_ao_tables(request, pk, **kwargs):
    """The convention as get_convention_for_plan gives it, if its model has the AO table and the
    places projections (else 404)."""
    convention = get_convention_for_plan(request, pk, **kwargs)
    if not convention.template.has_ao_tables:
        raise Http404("Le modèle de cette convention n'a pas de tableau des autorités organisatrices.")
    return convention


@require_POST
def ao_table_prefill(request, pk):
    convention = get_convention_with_ao_tables(request, pk, edit=True, structure=True)
    added = prefill_ao_table(convention)
    messages.success(request, f"{added} ligne(s) ajoutée(s) d'après les populations des communes.")
    return redirect("ao_table", pk=convention.pk)


def ao_table(request, pk):
    """The AO table (2025 model): one line per competence of each commune, and the EPCI's."""
    return table_page(
        request, pk, AOTableFormSet, "plans/ao_table.html", "Tableau des autorités organisatrices enregistré."
    )


def follow_up_export(request, pk, extension):
    """The tableau de suivi partagé, for anyone who may read the convention."""
    convention = get_convention_for_plan(request, pk)
    if extension not in EXPORT_FORMATS:
        raise Http404("Format inconnu.")
    content = export_follow_up_table(convention, extension)
    response = HttpResponse(content, content_type=EXPORT_CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="suivi-{convention.reference}.{extension}"'
    return response


EXPORT_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def report(request, pk, kind, year=None, extension="html"):
    """A bilan, as a page or as a PDF laid out like the convention."""
    convention = get_convention_for_plan(request, pk)
    if extension not in ("html", "pdf"):
        raise Http404("Format inconnu.")
    pdf_url = (
        reverse("report_year_file", args=[pk, kind, year, "pdf"])
        if year
        else reverse("report_file", args=[pk, kind, "pdf"])
    )
    report = build_report(convention, kind, year)
    context = {"convention": convention, "report": report, "for_pdf": extension == "pdf", "pdf_url": pdf_url}
    if extension == "html":
        return render(request, "plans/report.html", context)
    document = layout(render_to_string("plans/report.html", context))
    response = HttpResponse(
        document.write_pdf(**pdf_options(document, archival=False)), content_type="application/pdf"
    )
    suffix = f"-{year}" if year else ""
    response["Content-Disposition"] = f'attachment; filename="bilan-{kind}{suffix}-{convention.reference}.pdf"'
    return response


def projections(request, pk):
    """The places-projection table (2025 model): per AO and mode d'accueil, today and each year."""
    return table_page(request, pk, ProjectionFormSet, "plans/projections.html", "Projections enregistrées.")


def table_page(request, pk, formset_class, template_name, saved_message):
    """A table of the plan (the AO table, the projections) edited as a whole: saved only when every
    line, and the table, is valid, and only from the table as it was when the page was opened. A
    save from a table someone changed meanwhile is refused (409): the page says who, lists where
    what the user sent differs, and shows the table saved now to carry their changes over."""
    convention = get_convention_with_ao_tables(
        request, pk, edit=request.method == "POST", structure=request.method == "POST"
    )
    read_only_reason = why_plan_is_read_only(request.user, convention)
    formset = formset_class(request.POST or None, convention=convention, read_only=bool(read_only_reason))
    status, conflict = 200, None
    if request.method == "POST":
        with transaction.atomic():
            if formset.changed_since_opened():
                conflict = {
                    "author": formset.model.last_saved_by(convention),
                    "differences": formset.differences_with_saved(),
                }
                formset, status = formset_class(convention=convention), 409
            elif formset.is_valid():
                formset.save()
                messages.success(request, saved_message)
                return redirect(request.path)
            else:
                status = 422
    context = {
        "convention": convention,
        "formset": formset,
        "read_only_reason": read_only_reason,
        "conflict": conflict,
    }
    return render(request, template_name, context, status=status)

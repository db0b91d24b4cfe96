"""Avenants in the browser: opened on a signed convention, edited, validated, signed."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conventions.avenants import (
    avenant_signatory_blocks,
    avenant_transitions,
    change_avenant_status,
    lock_avenants_of,
    open_change,
    outdated_change_problem,
    outdated_change_problems,
    preview_avenant,
    render_avenant,
    sign_avenant,
)
from conventions.forms import AvenantRepresentativeFormSet, ChangeForm, ProlongationForm
from conventions.forms.lifecycle import SignatureDateForm
from conventions.lifecycle import ADMIN_ROLES, CAF_ROLES, may
from conventions.models import Annex, Article, Avenant, AvenantChange, AvenantStatus, ConventionStatus, EditConflict
from conventions.models.avenant import OPEN_AVENANT_STATUSES
from conventions.rendering.values import numbering
from conventions.wording import french_date

from .access import get_convention_for_user
from .changes import NOT_SAVED
from .confirm import confirm_deletion
from .documents import stored_file
from .edit import render_conflict


def get_avenant(request, pk, number):
    convention = get_convention_for_user(request, pk)
    return get_object_or_404(Avenant.objects.select_related("convention"), convention=convention, number=number)


def require_caf(request, roles=CAF_ROLES):
    if not may(request.user, roles):
        raise PermissionDenied("Votre rôle ne permet pas cette action sur un avenant.")


def numbered_sections(convention):
    """The articles an avenant may change and the annexes, each with the number it prints with
    (`number`): « Article 3 – … » tells two articles of one title apart."""
    articles = list(convention.articles.filter(numbered=True).order_by("position"))
    annexes = list(convention.annexes.order_by("position"))
    for sections in (articles, annexes):
        numbers = numbering(sections)
        for section in sections:
            section.number = numbers.get(section.key)
    return {"articles": articles, "annexes": annexes}


@require_POST
def avenant_create(request, pk):
    """Open avenant n°N+1; while an open avenant changes nothing yet (a double click, a second
    tab), that one is shown instead: an avenant without change neither validates nor goes away,
    and the next one signed would skip its number."""
    convention = get_convention_for_user(request, pk)
    require_caf(request)
    empty = (
        convention.avenants.filter(status__in=OPEN_AVENANT_STATUSES, changes__isnull=True, new_end_date__isnull=True)
        .order_by("number")
        .first()
    )
    if empty is not None and convention.status == ConventionStatus.SIGNED:
        messages.info(
            request,
            f"L'avenant n°{empty.number} est ouvert et ne modifie encore rien : choisissez-y les articles ou "
            "annexes qu'il modifie, ou la nouvelle date de fin de la convention.",
        )
        return redirect("avenant_detail", pk=convention.pk, number=empty.number)
    try:
        avenant = Avenant.objects.create_for(convention, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("convention_edit", pk=convention.pk)
    messages.success(
        request,
        f"Avenant n°{avenant.number} ouvert : choisissez les articles ou annexes qu'il modifie, ou la nouvelle date "
        "de fin de la convention.",
    )
    return redirect("avenant_detail", pk=convention.pk, number=avenant.number)


def closed_reason(avenant):
    """Why the avenant no longer changes: its convention was terminated, or it was validated."""
    if avenant.is_stopped:
        return "La convention est résiliée, l'avenant s'arrête où il en est"
    return f"L'avenant est « {avenant.get_status_display()} »"


def avenant_detail(request, pk, number):
    return render_detail(request, get_avenant(request, pk, number))


def render_detail(request, avenant, prolongation_form=None, status=200):
    """The avenant's page; `prolongation_form` sent back with its errors."""
    convention = avenant.convention
    context = {
        "convention": convention,
        "avenant": avenant,
        "changes": avenant.changes.select_related("article", "annex"),
        "signing": avenant_signatory_blocks(avenant),
        "outdated": [] if avenant.is_stopped else outdated_change_problems(avenant),
        **numbered_sections(convention),
        "can_edit": may(request.user, CAF_ROLES) and avenant.is_open,
        "transitions": avenant_transitions(avenant, request.user),
        "can_sign": may(request.user, ADMIN_ROLES)
        and avenant.status == AvenantStatus.VALIDATED
        and not avenant.is_stopped,
        "sign_form": SignatureDateForm(initial={"date": datetime.date.today()}),
        "prolongation_form": prolongation_form or ProlongationForm(instance=avenant),
    }
    return render(request, "conventions/avenant_detail.html", context, status=status)


@require_POST
def avenant_prolongation(request, pk, number):
    """Set, change or clear the end date the avenant gives the convention, while it is open. The
    avenant is read again under its convention's lock: a validation or a signature cannot pass
    in between."""
    avenant = get_avenant(request, pk, number)
    require_caf(request)
    with transaction.atomic():
        lock_avenants_of(avenant)
        if not avenant.is_open:
            reopen = " (rouvrez la concertation pour la changer)" if avenant.status == AvenantStatus.VALIDATED else ""
            messages.error(
                request, f"{closed_reason(avenant)} : sa durée ne change plus{reopen}, rien n'a été enregistré."
            )
            return render_detail(request, avenant, status=409)
        form = ProlongationForm(request.POST, instance=avenant)
        if not form.is_valid():
            messages.error(request, NOT_SAVED)
            return render_detail(request, avenant, prolongation_form=form, status=422)
        form.save()
    if avenant.new_end_date:
        messages.success(request, f"L'avenant prolonge la convention jusqu'au {french_date(avenant.new_end_date)}.")
    else:
        messages.success(request, "L'avenant ne prolonge plus la convention.")
    return redirect("avenant_detail", pk=pk, number=number)


def avenant_signatories(request, pk, number):
    """Who signs the avenant for each party: named as it opened (`Avenant.name_representatives`),
    changed here while it is open, a new mayor elected since the convention for instance."""
    avenant = get_avenant(request, pk, number)
    if request.method == "POST":
        require_caf(request)
    editable = may(request.user, CAF_ROLES) and avenant.is_open
    data = request.POST if request.method == "POST" and editable else None
    parties = [
        (party, AvenantRepresentativeFormSet(data, instance=avenant, signatory=party, prefix=f"people-{party.pk}"))
        for party in avenant.convention.signatories.select_related("caf", "collectivite")
    ]
    status = 200
    if request.method == "POST" and not editable:
        reopen = " (rouvrez la concertation pour les changer)" if avenant.status == AvenantStatus.VALIDATED else ""
        messages.error(
            request, f"{closed_reason(avenant)} : ses signataires ne changent plus{reopen}, rien n'a été enregistré."
        )
        status = 409
    elif data is not None:
        if all(people.is_valid() for _party, people in parties):
            with transaction.atomic():
                for _party, people in parties:
                    people.save()
            messages.success(request, "Signataires de l'avenant enregistrés.")
            return redirect("avenant_detail", pk=pk, number=number)
        messages.error(request, NOT_SAVED)
        status = 422
    context = {"convention": avenant.convention, "avenant": avenant, "parties": parties, "editable": editable}
    return render(request, "conventions/avenant_signatories.html", context, status=status)


@require_POST
def avenant_change_open(request, pk, number):
    avenant = get_avenant(request, pk, number)
    require_caf(request)
    kind, _, section_pk = request.POST.get("section", "").partition("-")
    model = {"article": Article, "annexe": Annex}.get(kind)
    # isascii: "²" is a digit to Python but no number to the database.
    if model is None or not (section_pk.isascii() and section_pk.isdigit()):
        messages.error(request, "Choisissez l'article ou l'annexe à modifier.")
        return redirect("avenant_detail", pk=pk, number=number)
    section = get_object_or_404(model, pk=section_pk, convention=avenant.convention)
    try:
        change = open_change(avenant, section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("avenant_detail", pk=pk, number=number)
    return redirect("avenant_change", pk=pk, number=number, change_pk=change.pk)


def avenant_change(request, pk, number, change_pk):
    avenant = get_avenant(request, pk, number)
    change = get_object_or_404(AvenantChange.objects.select_related("article", "annex"), pk=change_pk, avenant=avenant)
    editable = may(request.user, CAF_ROLES) and avenant.is_open
    if request.method == "POST":
        require_caf(request)
    form = ChangeForm(request.POST or None, instance=change)
    if request.method == "POST" and editable and form.is_valid():
        taken_up = form.take_up_text_in_force()
        try:
            form.instance.save_if_unchanged(form.cleaned_data["opened_version"])
        except EditConflict as conflict:
            return render_conflict(request, avenant.convention, form, conflict.current, conflict.current.new_text)
        if not taken_up:
            messages.warning(
                request,
                "Modification enregistrée, mais le texte en vigueur a changé depuis que vous l'avez ouvert :"
                " relisez-le ci-dessous, reprenez-le dans votre texte et enregistrez à nouveau.",
            )
            return redirect(request.path)
        messages.success(request, "Modification enregistrée.")
        return redirect("avenant_detail", pk=pk, number=number)
    unsaved_text = ""
    if request.method == "POST" and not editable:
        unsaved_text = request.POST.get("new_text", "")
        messages.error(
            request,
            f"{closed_reason(avenant)} : il ne se modifie plus, votre texte n'a pas été enregistré."
            " Il est repris ci-dessous pour que vous puissiez le copier.",
        )
    context = {
        "convention": avenant.convention,
        "avenant": avenant,
        "change": change,
        "unsaved_text": unsaved_text,
        "outdated": outdated_change_problem(change) if not avenant.is_stopped and change.is_outdated else "",
        "form": form,
        "editable": editable,
    }
    return render(request, "conventions/avenant_change.html", context)


def avenant_change_remove(request, pk, number, change_pk):
    """A change taken out of an avenant still open, after a page that asks to confirm: the article
    or annex keeps its text."""
    avenant = get_avenant(request, pk, number)
    change = get_object_or_404(AvenantChange.objects.select_related("article", "annex"), pk=change_pk, avenant=avenant)
    require_caf(request)
    blocker = None
    if not avenant.is_open:
        blocker = f"{closed_reason(avenant)} : ses modifications ne se retirent plus."
    elif request.method == "POST":
        change.delete()
        messages.success(request, f"La modification de « {change.section} » est retirée de l'avenant.")
        return redirect("avenant_detail", pk=pk, number=number)
    return confirm_deletion(
        request,
        avenant.convention,
        what=f"la modification de « {change.section} » de l'avenant n°{avenant.number}",
        consequences=[f"« {change.section} » garde son texte actuel ; le texte écrit pour l'avenant est perdu."],
        blocker=blocker,
        cancel_url=reverse("avenant_detail", args=[pk, number]),
    )


@require_POST
def avenant_validate(request, pk, number):
    """Move the avenant along its lifecycle (the target status is posted)."""
    avenant = get_avenant(request, pk, number)
    try:
        change_avenant_status(avenant, request.POST.get("status", AvenantStatus.VALIDATED), request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Avenant : {avenant.get_status_display()}.")
    return redirect("avenant_detail", pk=pk, number=number)


@require_POST
def avenant_sign(request, pk, number):
    avenant = get_avenant(request, pk, number)
    form = SignatureDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de signature de l'avenant.")
        return redirect("avenant_detail", pk=pk, number=number)
    try:
        sign_avenant(avenant, form.cleaned_data["date"], request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Avenant signé : la convention en vigueur intègre ses modifications.")
    return redirect("avenant_detail", pk=pk, number=number)


def avenant_preview(request, pk, number):
    return HttpResponse(preview_avenant(get_avenant(request, pk, number)))


def avenant_pdf(request, pk, number):
    """A signed avenant downloads as it was archived (sealed when it was); before, as rendered now."""
    avenant = get_avenant(request, pk, number)
    signed_copy = avenant.signed_copy() if avenant.is_signed else None
    if signed_copy is not None:
        return stored_file(signed_copy.file)
    response = HttpResponse(render_avenant(avenant), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{avenant.convention.reference}-avenant-{avenant.number}.pdf"'
    )
    return response

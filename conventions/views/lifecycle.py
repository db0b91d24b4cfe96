"""Status changes, the signature, the archived signed documents and their verification."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from conventions.exports import expected_bytes, signed_conventions, zip_chunks
from conventions.forms.lifecycle import (
    ExternalOriginalForm,
    SignatureForm,
    SignedExportForm,
    TerminationForm,
    VerifyForm,
)
from conventions.lifecycle import (
    ADMIN_ROLES,
    CAF_ROLES,
    archive,
    change_status,
    delete_draft,
    deletion_blocker,
    deletion_consequences,
    find_signed,
    may,
    may_terminate,
    page_asking_first,
    sign,
    signature_blockers,
    terminate,
    termination_blocker,
    termination_consequences,
)
from conventions.models import FROZEN_STATUSES, ConventionStatus, DocumentKind, SignedDocument

from .access import can_edit, get_convention_for_user, refusal
from .confirm import confirm
from .documents import stored_file


@require_POST
def convention_status(request, pk):
    convention = get_convention_for_user(request, pk)
    target = request.POST.get("status")
    if asked_on := page_asking_first(convention, target):
        return redirect(asked_on, pk=convention.pk)
    try:
        change_status(convention, target, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Statut : {convention.get_status_display()}.")
    return redirect("convention_edit", pk=convention.pk)


def convention_terminate(request, pk):
    """A signed convention terminated (résiliée) by a Caf administrator, after a page that says
    what it ends: a termination cannot be undone."""
    convention = get_convention_for_user(request, pk)
    if not may_terminate(request.user):
        raise PermissionDenied("Seul un administrateur de la Caf résilie une convention.")
    blocker = termination_blocker(convention)
    form = TerminationForm(request.POST or None, convention=convention)
    if blocker is None and request.method == "POST" and form.is_valid():
        terminate(
            convention,
            request.user,
            effective_on=form.cleaned_data["effective_on"],
            ground=form.cleaned_data["ground"],
            details=form.cleaned_data["details"],
        )
        messages.success(request, f"Statut : {convention.status_label()}.")
        return redirect("convention_edit", pk=convention.pk)
    return confirm(
        request,
        convention,
        title="Résiliation",
        question=f"Résilier la convention {convention.reference} ?",
        warning="La résiliation est définitive : elle ne s'annule pas.",
        button="Résilier définitivement",
        consequences=termination_consequences(convention),
        blocker=blocker,
        cancel_url=reverse("convention_edit", args=[convention.pk]),
        form=form,
    )


def convention_delete(request, pk):
    """A draft begun by mistake deleted by a user of its Caf, after a page that says what goes with
    it; a convention in concertation or further on stays (deletion_blocker)."""
    convention = get_convention_for_user(request, pk)
    if not (can_edit(request.user, convention) and may(request.user, CAF_ROLES)):
        raise refusal(convention, "Seul un agent de la Caf supprime un brouillon de convention.")
    blocker = deletion_blocker(convention)
    if blocker is None and request.method == "POST":
        delete_draft(convention)
        messages.success(request, f"Le brouillon « {convention.reference} » a été supprimé.")
        return redirect("home")
    return confirm(
        request,
        convention,
        title="Suppression",
        question=f"Supprimer le brouillon {convention.reference} ?",
        warning="La suppression est définitive : rien ne pourra être récupéré.",
        button="Supprimer définitivement",
        consequences=deletion_consequences(convention),
        blocker=blocker,
        cancel_url=reverse("convention_edit", args=[convention.pk]),
    )


def convention_sign(request, pk):
    convention = get_convention_for_user(request, pk)
    if not may(request.user, ADMIN_ROLES):
        raise PermissionDenied("Seul un administrateur de la Caf enregistre la signature d'une convention.")
    if convention.status != ConventionStatus.VALIDATED:
        messages.error(request, signature_refusal(convention))
        return redirect("convention_edit", pk=convention.pk)
    signatories = list(convention.signatories.select_related("caf", "collectivite"))
    form = SignatureForm(request.POST or None, signatories=signatories)
    blockers = signature_blockers(convention)
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            document = sign(convention, form.dates(), request.user)
        except ValidationError as error:
            convention.refresh_from_db()  # the signature was rolled back
            if convention.status != ConventionStatus.VALIDATED:  # signed meanwhile (a double click)
                messages.error(request, signature_refusal(convention))
                return redirect("convention_edit", pk=convention.pk)
            blockers = error.messages
        else:
            messages.success(request, f"Signature enregistrée ; PDF archivé (SHA-256 {document.sha256[:16]}…).")
            return redirect("convention_edit", pk=convention.pk)
    context = {"convention": convention, "form": form, "blockers": blockers}
    return render(request, "conventions/convention_sign.html", context)


def signature_refusal(convention):
    """Why the signature page does not open: said for what the convention is (a second tab or a
    double click finds it signed already)."""
    if convention.is_signed:
        return "La convention est déjà signée : sa signature est enregistrée."
    if convention.is_frozen:
        return "La convention est résiliée : elle ne se signe plus."
    return "Seule une convention validée se signe : validez-la d'abord."


def signed_document(request, pk, document_pk):
    convention = get_convention_for_user(request, pk)
    document = get_object_or_404(SignedDocument, pk=document_pk, convention=convention)
    return stored_file(document.file)


def verify(request):
    """Is this PDF the archived signed version of a convention?"""
    form = VerifyForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        document = find_signed(form.cleaned_data["file"].read())
        visible = document and document.convention in type(document.convention).objects.visible_to(request.user)
        context.update(checked=True, document=document if visible else None)
    return render(request, "conventions/verify.html", context)


def signed_export(request):
    """A Caf administrator's export of the Caf's signed conventions (the platform operator's: every
    Caf's), as a streamed ZIP."""
    if not request.user.exports_signed_conventions:
        raise PermissionDenied("Réservé aux administrateurs d'une Caf et de la plateforme.")
    caf = request.user.exported_caf
    form = SignedExportForm(request.GET)
    year, status = form.filters()
    conventions = list(signed_conventions(caf, year=year, status=status))
    suffix = f"-{year}" if year else ""
    filename = f"conventions-signees-{f'caf{caf.code}' if caf else 'toutes-caf'}{suffix}.zip"
    if "telecharger" not in request.GET or form.errors or not conventions:  # an empty ZIP helps no one
        context = {
            "form": form,
            "caf": caf,
            "conventions": conventions,
            "year": year,
            "status": status,
            "filename": filename,
        }
        return render(request, "conventions/signed_export.html", context)
    response = StreamingHttpResponse(zip_chunks(conventions), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # What the page's progress bar measures the download against (the PDFs before compression).
    response["X-Expected-Bytes"] = str(expected_bytes(conventions))
    return response


@require_POST
def external_original(request, pk):
    """Attach the original signed outside the application; it is archived beside the signed PDF."""
    convention = get_convention_for_user(request, pk)
    if not (may(request.user, ADMIN_ROLES) and convention.status in FROZEN_STATUSES):
        raise PermissionDenied("Seul un administrateur de la Caf joint l'original d'une convention signée.")
    form = ExternalOriginalForm(request.POST, request.FILES)
    if form.is_valid():
        content = form.cleaned_data["file"].read()
        # The same file sent twice (a double click) is archived once.
        already = convention.signed_documents.filter(sha256=hashlib.sha256(content).hexdigest()).first()
        if already is not None:
            messages.info(
                request,
                f"Ce PDF est déjà archivé pour cette convention ({already.get_kind_display()}, le "
                f"{timezone.localtime(already.created_at):%d/%m/%Y à %H:%M}) : rien n'a été ajouté.",
            )
            return redirect("convention_edit", pk=convention.pk)
        archive(
            convention, DocumentKind.EXTERNAL_ORIGINAL, f"{convention.reference}-original.pdf", content, request.user
        )
        messages.success(request, "Original signé archivé.")
    else:
        messages.error(request, "L'original n'a pas été archivé. " + " ".join(form.errors["file"]))
    return redirect("convention_edit", pk=convention.pk)

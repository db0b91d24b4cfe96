"""Import of fiches actions and équipements: upload, preview of what will change, apply."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from plans.access import get_convention_for_plan
from plans.imports import importers_for, run_import
from plans.uploads import FileRefused

MAX_IMPORT_BYTES = 5 * 1024 * 1024
PREVIEWS_FOLDER = "imports"
SESSION_KEY = "pending_imports"
# The previews applied lately: "Appliquer l'import" sent twice (a double click, the back button)
# says the import is done rather than that the preview expired.
APPLIED_SESSION_KEY = "applied_imports"
APPLIED_KEPT = 10


def get_importer(convention, kind):
    """The import `kind` of this convention, if one of its annexes shows its rows (else 404)."""
    importer = importers_for(convention).get(kind)
    if importer is None:
        raise Http404("Import inconnu pour cette convention.")
    return importer


def import_file(request, pk, kind):
    """GET: the upload form. POST with a file: a dry run and its preview (nothing applied).
    POST with a token: the same file applied, whole or not at all."""
    convention = get_convention_for_plan(request, pk, edit=True, structure=True)
    importer = get_importer(convention, kind)
    context = {
        "convention": convention,
        "kind": kind,
        "label": importer.label,
        "columns": importer.columns(convention),
        "axes": convention.axes.order_by("position") if importer.names_an_axis else (),
        "structure_types": convention.template.structure_type_choices if importer.names_a_structure_type else (),
        "signatories": convention.collectivites() if importer.names_a_signatory else (),
    }
    if request.method != "POST":
        return render(request, "plans/import.html", context)

    if "token" in request.POST:
        return apply_pending(request, convention, importer, kind, request.POST["token"])

    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = "Choisissez un fichier .csv ou .xlsx."
        return render(request, "plans/import.html", context, status=422)
    if upload.size > MAX_IMPORT_BYTES:
        context["error"] = "Le fichier dépasse 5 Mo."
        return render(request, "plans/import.html", context, status=422)
    content = upload.read()
    try:
        report = run_import(kind, convention, upload.name, content, dry_run=True)
    except FileRefused as refusal:
        context["error"] = str(refusal)
        return render(request, "plans/import.html", context, status=422)
    context["report"] = report
    if report.problems:
        return render(request, "plans/import.html", context, status=422)
    delete_previews_of_ended_sessions()
    token = uuid.uuid4().hex
    path = default_storage.save(f"{PREVIEWS_FOLDER}/{token}-{upload.name[-60:]}", ContentFile(content))
    request.session.setdefault(SESSION_KEY, {})[token] = {
        "path": path,
        "name": upload.name,
        "kind": kind,
        "pk": pk,
        "state": importer.state(convention),
    }
    request.session.modified = True
    context["token"] = token
    return render(request, "plans/import.html", context)


def import_blank_file(request, pk, kind):
    """The file to fill: the columns' names of the import, as an XLSX."""
    convention = get_convention_for_plan(request, pk, edit=True, structure=True)
    importer = get_importer(convention, kind)
    response = HttpResponse(
        importer.blank_file(convention),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-{convention.reference}.xlsx"'
    return response


def delete_previews_of_ended_sessions():
    """A previewed file waits in the storage for « Appliquer l'import », which only its session can
    send: once no session of that age is left (SESSION_COOKIE_AGE), nobody can apply it."""
    ended = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    if not default_storage.exists(PREVIEWS_FOLDER):
        return
    for name in default_storage.listdir(PREVIEWS_FOLDER)[1]:
        path = f"{PREVIEWS_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < ended:
            default_storage.delete(path)


def apply_pending(request, convention, importer, kind, token):
    pending = request.session.get(SESSION_KEY, {}).pop(token, None)
    request.session.modified = True
    if not pending and token in request.session.get(APPLIED_SESSION_KEY, []):
        messages.info(request, "Cet import est déjà appliqué : ses ajouts et modifications sont enregistrés.")
        return redirect(importer.listed_at(convention))
    if (
        not pending
        or (pending["kind"], pending["pk"]) != (kind, convention.pk)
        or not default_storage.exists(pending["path"])
    ):
        messages.error(request, "Cet aperçu a expiré : déposez le fichier à nouveau.")
        return redirect("import_file", pk=convention.pk, kind=kind)
    with default_storage.open(pending["path"]) as file:
        content = file.read()
    default_storage.delete(pending["path"])
    if pending.get("state") != importer.state(convention):
        messages.error(
            request,
            f"{importer.label} : une modification a été enregistrée depuis l'aperçu, rien n'a été importé. "
            "Déposez le fichier à nouveau pour voir ce qu'il changera maintenant.",
        )
        return redirect("import_file", pk=convention.pk, kind=kind)
    try:
        report = run_import(kind, convention, pending["name"], content, dry_run=False)
    except FileRefused:
        report = None
    if report is None or report.problems:
        messages.error(request, "Le fichier n'a pas été importé : il ne passe plus les contrôles. Rien n'a changé.")
        return redirect("import_file", pk=convention.pk, kind=kind)
    applied = request.session.get(APPLIED_SESSION_KEY, [])
    request.session[APPLIED_SESSION_KEY] = [*applied, token][-APPLIED_KEPT:]
    totals = report.totals
    messages.success(
        request,
        f"Import appliqué : {totals['new']} ajout(s), {totals['update']} modification(s), "
        f"{totals['skip']} ligne(s) inchangée(s).",
    )
    return redirect(importer.listed_at(convention))

"""The editing of a convention: overview, general information, options, articles and annexes."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conventions.completeness import completeness_report
from conventions.forms import AnnexTextForm, ArticleForm, ConventionInfoForm, OptionsForm
from conventions.lifecycle import ADMIN_ROLES, CAF_ROLES, available_transitions, may
from conventions.models import FROZEN_STATUSES, Annex, AnnexKind, Article, ConventionStatus, EditConflict
from conventions.rendering.text import render_text_for_editors
from conventions.rendering.values import convention_values, placeholders_for_editors

from .access import can_edit, get_convention_for_user, refusal
from .changes import NOT_SAVED, after_change
from .rows import ROW_EDITORS_BY_ANNEX_KIND, row_tables


def convention_edit(request, pk):
    """Everything of a convention on one page: sections, options, completeness, preview."""
    convention = get_convention_for_user(request, pk)
    articles = list(convention.articles.order_by("position"))
    annexes = list(convention.annexes.select_related("template").order_by("position"))
    missing = completeness_report(convention, articles=articles, annexes=annexes)
    urls = fix_urls(convention, articles, annexes)
    editable = can_edit(request.user, convention)
    context = {
        "convention": convention,
        "articles": articles,
        "annexes": annexes,
        "options_form": OptionsForm(convention=convention, disabled=not editable),
        "missing": [(item, fix_url(convention, item.where, urls)) for item in missing],
        "editable": editable,
        "frozen": convention.status in FROZEN_STATUSES,
        "transitions": available_transitions(convention, request.user),
        "can_sign": may(request.user, ADMIN_ROLES) and convention.status == ConventionStatus.VALIDATED,
        "can_delete": editable and may(request.user, CAF_ROLES) and convention.status == ConventionStatus.DRAFT,
        "signed_documents": convention.signed_documents.select_related("created_by", "avenant"),
        "avenants": convention.avenants.all(),
        "can_open_avenant": may(request.user, CAF_ROLES) and convention.status == ConventionStatus.SIGNED,
        "can_attach_original": may(request.user, ADMIN_ROLES) and convention.status in FROZEN_STATUSES,
    }
    return render(request, "conventions/convention_edit.html", context)


def fix_urls(convention, articles, annexes):
    """Where each item of the completeness report is fixed, by the report's `where`: its article or
    annex, the annex of its kind (délibérations), the signatories, the AO table."""
    urls = {article.key: reverse("article_edit", args=[convention.pk, article.pk]) for article in articles}
    for annex in annexes:
        urls[annex.key] = reverse("annex_edit", args=[convention.pk, annex.pk])
        urls.setdefault(annex.kind, urls[annex.key])
    urls["signatories"] = reverse("convention_signatories", args=[convention.pk])
    if convention.template.has_ao_tables:
        urls["ao_table"] = reverse("ao_table", args=[convention.pk])
    return urls


def fix_url(convention, where, urls):
    """Anything else is a field of the general information."""
    return urls.get(where) or reverse("convention_info", args=[convention.pk]) + f"#id_{where}"


def convention_info(request, pk):
    convention = get_convention_for_user(request, pk, edit=request.method == "POST")
    form = ConventionInfoForm(request.POST or None, instance=convention, editable=can_edit(request.user, convention))
    if request.method == "POST" and form.is_valid():
        form.save()
        after_change(request, convention, "Informations enregistrées.")
        return redirect("convention_edit", pk=convention.pk)
    if form.is_bound:
        messages.error(request, NOT_SAVED)
    context = {"convention": convention, "form": form, "editable": can_edit(request.user, convention)}
    return render(request, "conventions/convention_info.html", context)


@require_POST
def convention_options(request, pk):
    convention = get_convention_for_user(request, pk, edit=True)
    form = OptionsForm(request.POST, convention=convention)
    if form.is_valid():
        form.save()
        after_change(request, convention, "Options enregistrées.")
    else:
        messages.error(request, "Options non enregistrées : choisissez une valeur pour chaque option.")
    return redirect("convention_edit", pk=convention.pk)


def article_edit(request, pk, article_pk):
    convention = get_convention_for_user(request, pk)
    article = get_object_or_404(Article.objects.select_related("template"), pk=article_pk, convention=convention)
    editable = can_edit(request.user, convention) and article.editable
    return edit_section(request, convention, article, ArticleForm, editable, "conventions/article_edit.html")


# Annexes whose content is filled on a page of its own (URL name): the annex's page leads there.
FILLED_ON_ITS_OWN_PAGE = {AnnexKind.ACTION_PLAN: "plan"}


def annex_edit(request, pk, annex_pk):
    convention = get_convention_for_user(request, pk)
    annex = get_object_or_404(Annex.objects.select_related("template"), pk=annex_pk, convention=convention)
    editable = can_edit(request.user, convention)
    filled_on = FILLED_ON_ITS_OWN_PAGE.get(annex.kind)
    extra = {
        "tables": row_tables(convention, ROW_EDITORS_BY_ANNEX_KIND.get(annex.kind, ()), request.user),
        "filled_on": reverse(filled_on, args=[pk]) if filled_on else "",
    }
    return edit_section(request, convention, annex, AnnexTextForm, editable, "conventions/annex_edit.html", extra)


def edit_section(request, convention, section, form_class, editable, template_name, extra=None):
    """Edit the text of an article or an annex; a save from a stale version shows both versions
    and overwrites nothing."""
    if request.method == "POST" and not editable:
        raise refusal(convention, "Vous ne pouvez pas modifier ce texte.")
    form = form_class(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.save_if_unchanged(form.cleaned_data["opened_version"])
        except EditConflict as conflict:
            last_change = conflict.current.history.first()
            saved_by = last_change.history_user if last_change else None
            return render_conflict(request, convention, form, conflict.current, conflict.current.text, saved_by)
        after_change(request, convention, f"« {section} » enregistré.")
        return redirect(request.path)
    values = convention_values(convention)
    context = {
        "convention": convention,
        "section": section,
        "form": form,
        "editable": editable,
        "preview_html": render_text_for_editors(section.text, values, convention.options_in_force()),
        "placeholders": placeholders_for_editors(values),
        **(extra or {}),
    }
    return render(request, template_name, context)


def render_conflict(request, convention, form, theirs, theirs_text, saved_by=None):
    """The 409 page of a save from a stale version: the saved text beside the user's, which a form
    opened again on the saved version carries, to send again knowingly."""
    context = {
        "convention": convention,
        "theirs_text": theirs_text,
        "saved_by": saved_by,
        "form": form.rebased_on(theirs),
    }
    return render(request, "conventions/edit_conflict.html", context, status=409)


@require_POST
def section_preview(request, pk):
    """htmx: the text being typed, rendered as the document will print it."""
    convention = get_convention_for_user(request, pk)
    html = render_text_for_editors(
        request.POST.get("text", ""), convention_values(convention), convention.options_in_force()
    )
    return HttpResponse(html)

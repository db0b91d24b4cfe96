"""Pre-render on save: every change to a convention or one of its parts marks its PDF as not
current and, once committed, enqueues one background render (issue 10, "Pre-render on save")."""

import logging
from functools import partial

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from conventions.models import (
    AnnexTemplate,
    ArticleTemplate,
    Avenant,
    AvenantChange,
    Caf,
    CafRepresentative,
    Collectivite,
    Convention,
    ConventionTemplate,
    FrozenWhenSigned,
    PdfRendition,
    TemplateOption,
)

logger = logging.getLogger(__name__)

# What every document may quote: a change marks all stored PDFs as not current (they are then
# rendered at their next download), without enqueueing hundreds of renders at once.
REFERENCE_MODELS = (
    Caf,
    CafRepresentative,
    Collectivite,
    ConventionTemplate,
    TemplateOption,
    ArticleTemplate,
    AnnexTemplate,
)


def content_changed(convention_id):
    """Call after any change to the convention's content that model signals do not see (queryset
    updates, bulk creation)."""
    if PdfRendition.objects.content_changed(convention_id):
        transaction.on_commit(partial(enqueue_prerender, convention_id), robust=True)


def enqueue_prerender(convention_id):
    from conventions.tasks import prerender_pdf

    prerender_pdf.enqueue(convention_id)


def convention_of(instance):
    """The convention whose document holds this record, or None."""
    try:
        if isinstance(instance, Convention):
            return instance.pk
        if isinstance(instance, FrozenWhenSigned):
            return instance.frozen_convention_id()
        if isinstance(instance, Avenant):
            return instance.convention_id
        if isinstance(instance, AvenantChange):
            return instance.avenant.convention_id
    except ObjectDoesNotExist:
        return None
    return None


def part_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    convention_id = convention_of(instance)
    if convention_id:
        content_changed(convention_id)


def part_deleted(sender, instance, origin=None, **kwargs):
    # Parts deleted with their convention leave no document to render.
    if (
        isinstance(instance, Convention)
        or isinstance(origin, Convention)
        or getattr(origin, "model", None) is Convention
    ):
        return
    part_saved(sender, instance)


def reference_changed(sender, created=False, raw=False, **kwargs):
    # A new Caf, collectivité or model is quoted by no document yet (an import of communes adds
    # thousands of them).
    if not (created or raw):
        PdfRendition.objects.all_changed()


def is_part_model(model):
    return issubclass(model, (Convention, FrozenWhenSigned, Avenant, AvenantChange))


def connect(models):
    for model in models:
        if is_part_model(model):
            post_save.connect(part_saved, sender=model, dispatch_uid=f"prerender-save-{model._meta.label}")
            post_delete.connect(part_deleted, sender=model, dispatch_uid=f"prerender-delete-{model._meta.label}")
        elif issubclass(model, REFERENCE_MODELS):
            for signal in (post_save, post_delete):
                signal.connect(reference_changed, sender=model, dispatch_uid=f"prerender-ref-{model._meta.label}")

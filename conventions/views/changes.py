from django.contrib import messages
from django.utils import timezone

from conventions.completeness import refresh_missing_count

# A form sent back with errors: what the page says above them.
NOT_SAVED = "Rien n'a été enregistré : corrigez les erreurs signalées ci-dessous."


def after_change(request, convention, message):
    """Every saved change: the convention's modification date and its completeness count are
    brought up to date (without a history record of its own: the changed part has one)."""
    type(convention).objects.filter(pk=convention.pk).update(updated_at=timezone.now())
    refresh_missing_count(convention)
    if not request.htmx:  # an in-place change shows itself; queued, the message would surface on the next page
        messages.success(request, message)

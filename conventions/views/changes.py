from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from conventions.completeness import refresh_missing_count


def after_change(request, convention, message):
    """Every saved change: the convention's modification date and its completeness count are
    brought up to date (without a history record of its own: the changed part has one)."""
    type(convention).objects.filter(pk=convention.pk).update(updated_at=timezone.now())
    refresh_missing_count(convention)
    if not request.htmx:  # an in-place change shows itself; queued, the message would surface on the next page
        messages.success(request, message)


def redirect_back(request, convention):
    """Back to the page the form was on (same site only), else to the convention."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(referer)
    return redirect("convention_edit", pk=convention.pk)

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from conventions.completeness import refresh_missing_count


def after_change(request, convention, message):
    """Every saved change: the convention is touched (its history and lists show it) and its
    completeness count is brought up to date."""
    convention.save(update_fields=["updated_at"])
    refresh_missing_count(convention)
    messages.success(request, message)


def redirect_back(request, convention):
    """Back to the page the form was on (same site only), else to the convention."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(referer)
    return redirect("convention_edit", pk=convention.pk)

"""Who may see and change what (DESIGN §2). Every view that takes an id starts here."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from conventions.models import Convention


def get_convention_for_user(request, pk, *, edit=False):
    """The convention `pk` if the user may read it, else 404: another Caf's or collectivité's
    convention does not exist for them. With `edit`, a visible convention the user may not change
    (a commune user, or a signed convention) raises PermissionDenied."""
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("caf", "template"), pk=pk
    )
    if edit and not can_edit(request.user, convention):
        raise PermissionDenied("Vous ne pouvez pas modifier cette convention.")
    return convention


def can_edit(user, convention):
    """Caf staff and administrators edit their Caf's conventions until they are signed."""
    return not convention.is_signed and (user.is_superuser or user.is_caf_user)

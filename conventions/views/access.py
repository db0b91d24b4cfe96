"""Who may see and change what (DESIGN §2). Every view that takes an id starts here."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from conventions.models import Convention, ConventionFrozen


def get_convention_for_user(request, pk, *, edit=False):
    """The convention `pk` if the user may read it, else 404: another Caf's or collectivité's
    convention does not exist for them. With `edit`, a visible convention the user may not change
    (a commune user, or a signed or terminated convention) raises PermissionDenied."""
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("caf", "template"), pk=pk
    )
    if edit and not can_edit(request.user, convention):
        raise refusal(convention, "Vous ne pouvez pas modifier cette convention.")
    return convention


def refusal(convention, message):
    """The refusal of a change: a signed or terminated convention says why (it changes only by
    avenant, or no longer at all); otherwise the user's role does not allow it (`message`)."""
    if convention.is_frozen:
        return ConventionFrozen(convention.frozen_reason)
    return PermissionDenied(message)


def can_edit(user, convention):
    """Caf staff and administrators edit their Caf's conventions until they are signed."""
    return not convention.is_frozen and (user.is_superuser or user.is_caf_user)


def can_fill_rows(user, convention, editor):
    """Some annex tables (the équipements) are also filled by the signatory collectivités'
    chargé(e)s de coopération (DESIGN §2); the others only by the Caf."""
    if can_edit(user, convention):
        return True
    return editor.filled_by_communes and not convention.is_frozen and user.is_commune_user

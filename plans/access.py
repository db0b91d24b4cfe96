"""Who may read and fill a convention's plan d'actions (DESIGN §2)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from conventions.models import Convention, ConventionFrozen


def may_fill_plan(user, convention):
    """Caf users and the chargé(e)s de coopération of a signatory collectivité fill the plan
    d'actions and its follow-up; the visibility rule already keeps everyone else out."""
    return user.is_superuser or user.is_caf_user or user.is_commune_user


def why_plan_is_read_only(user, convention):
    """Why the user may read the plan's structure and tables (axes, fiches actions, AO table,
    projections) but not change them, or "" when they may: a signed or terminated convention no
    longer changes (DESIGN §4, "Signed is frozen"), and only Caf users and the chargé(e)s de
    coopération fill a plan (DESIGN §2). The pages show this reason beside disabled fields."""
    if convention.is_frozen:
        return convention.frozen_reason
    if not may_fill_plan(user, convention):
        return "Vous pouvez consulter ce plan d'actions, pas le modifier."
    return ""


def get_convention_for_plan(request, pk, *, edit=False, structure=False):
    """The convention if the user may read it (else 404). With `edit`, the user must be allowed to
    fill the plan (else 403); with `structure` (axes, fiches), the convention must not be signed:
    a signed plan only takes follow-up."""
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).select_related("caf", "template"), pk=pk
    )
    if edit and not may_fill_plan(request.user, convention):
        raise PermissionDenied("Vous ne pouvez pas modifier ce plan d'actions.")
    if structure:
        refuse_structure_changes_once_signed(convention)
    return convention


def refuse_structure_changes_once_signed(convention):
    """A signed plan only takes follow-up (DESIGN §4, "Signed is frozen"): 403 with why. A view of
    one axis or fiche calls it once that object is found, so that another convention's object
    answers 404 whatever the state of this one."""
    if convention.is_frozen:
        raise ConventionFrozen(convention.frozen_reason)

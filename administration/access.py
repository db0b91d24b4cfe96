"""Who reaches the Caf administration: a Caf administrator, for their own Caf only."""

from django.core.exceptions import PermissionDenied

from conventions.models import Role


def administered_caf(request):
    """The Caf the user administers, or PermissionDenied. Objects are then looked up within this
    Caf only, so another Caf's account, option or record answers 404."""
    user = request.user
    if user.role != Role.CAF_ADMIN or not user.caf_id:
        raise PermissionDenied("Réservé aux administrateurs d'une Caf.")
    return user.caf

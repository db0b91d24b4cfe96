"""Which accounts django-axes holds locked out after too many failed logins."""

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


def locked_out_usernames(usernames):
    """Those of `usernames` locked out now: as many failures as AXES_FAILURE_LIMIT, within the
    cool-off (or ever, without one). A new password given by the Caf administrator unlocks them."""
    attempts = AccessAttempt.objects.filter(
        username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return set(attempts.values_list("username", flat=True))

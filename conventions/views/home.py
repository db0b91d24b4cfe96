import datetime

from django.shortcuts import render
from django.utils import timezone

from conventions.models import Convention, ConventionStatus

ENDING_SOON_DAYS = 183  # "those ending within six months"


def home(request):
    """The user's conventions: to complete, ending within six months, and all of them by status."""
    query = request.GET.get("q", "")
    conventions = list(
        Convention.objects.visible_to(request.user)
        .search(query)
        .select_related("caf", "template")
        .order_by("end_date", "reference")
    )
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    by_status = [
        (label, [convention for convention in conventions if convention.status == status])
        for status, label in ConventionStatus.choices
    ]
    context = {
        "query": query,
        "conventions": conventions,
        "incomplete": [c for c in conventions if c.missing_count and not c.is_frozen],
        "ending_soon": [c for c in conventions if today <= c.end_date <= soon],
        "by_status": [(label, group) for label, group in by_status if group],
        "can_create": request.user.is_caf_user and request.user.caf_id is not None,
    }
    return render(request, "conventions/home.html", context)

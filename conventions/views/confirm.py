"""The page that asks before a deletion (templates/delete_confirm.html), for every part that can be
deleted: it names what goes, says what goes with it, or says why it cannot go."""

from django.shortcuts import render


def confirm_deletion(
    request, convention, *, what, cancel_url, active="", consequences=(), blocker=None, verb="Supprimer"
):
    """The confirmation page ("{verb} {what} ?"). With a `blocker`, it says why nothing is deleted,
    and a deletion posted anyway answers 409."""
    context = {
        "verb": verb,
        "convention": convention,
        "active": active,
        "what": what,
        "blocker": blocker,
        "consequences": consequences,
        "cancel_url": cancel_url,
    }
    status = 409 if blocker and request.method == "POST" else 200
    return render(request, "delete_confirm.html", context, status=status)

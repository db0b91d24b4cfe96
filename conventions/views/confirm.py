"""The pages that ask before a step that cannot be undone (templates/confirm.html): a deletion, for
every part that can be deleted, and the termination of a convention. Each names what it does, says
what goes with it, or says why it cannot be done."""

from django.shortcuts import render


def confirm(
    request,
    convention,
    *,
    title,
    question,
    warning,
    button,
    cancel_url,
    active="",
    consequences=(),
    blocker=None,
    form=None,
):
    """The confirmation page. With a `blocker`, it says why nothing is done, and a confirmation
    posted anyway answers 409. A `form` asks what the step records (the date and ground of a
    termination); sent back with errors, it answers 422."""
    context = {
        "convention": convention,
        "active": active,
        "title": title,
        "question": question,
        "warning": warning,
        "button": button,
        "blocker": blocker,
        "consequences": consequences,
        "cancel_url": cancel_url,
        "form": form,
    }
    status = 409 if blocker and request.method == "POST" else 422 if form is not None and form.errors else 200
    return render(request, "confirm.html", context, status=status)


def confirm_deletion(request, convention, *, what, cancel_url, active="", consequences=(), blocker=None):
    return confirm(
        request,
        convention,
        title="Suppression",
        question=f"Supprimer {what} ?",
        warning="La suppression est définitive : elle ne s'annule pas.",
        button="Supprimer définitivement",
        cancel_url=cancel_url,
        active=active,
        consequences=consequences,
        blocker=blocker,
    )

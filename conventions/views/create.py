from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from conventions.completeness import refresh_missing_count
from conventions.forms import ConventionCreateForm
from conventions.models import Collectivite, Convention
from conventions.models.collectivite import too_short_to_search

# The collectivités a search lists at most: beyond, the user types more of the name.
SEARCH_RESULTS_SHOWN = 15


def collectivite_search_results(params):
    """What the collectivité search of a page shows for the query `q` of `params` (a QueryDict):
    the first collectivités found, whether there were more, whether the query was too short.
    Without JavaScript the page's own GET form asks; with it, htmx asks collectivite_search.
    Before any search, `results` is None and the page shows no list."""
    if "q" not in params:
        return {"query": "", "results": None, "more": False, "too_short": False}
    query = params["q"]
    found = list(Collectivite.objects.search(query)[: SEARCH_RESULTS_SHOWN + 1])
    return {
        "query": query,
        "results": found[:SEARCH_RESULTS_SHOWN],
        "more": len(found) > SEARCH_RESULTS_SHOWN,
        "too_short": too_short_to_search(query),
    }


def convention_create(request):
    """A Caf user creates a convention from one of their Caf's models or the national one."""
    caf = request.user.caf if request.user.is_caf_user else None
    if caf is None:
        raise PermissionDenied("Seuls les agents d'une Caf créent des conventions.")
    if request.method == "POST":
        just_created = Convention.objects.created_a_moment_ago(
            caf, request.POST.get("reference", ""), request.POST.get("title", "")
        )
        if just_created:
            messages.info(
                request, "Cette convention vient d'être créée. Complétez maintenant les représentants des signataires."
            )
            return redirect("convention_signatories", pk=just_created.pk)
        form = ConventionCreateForm(request.POST, caf=caf)
    else:
        # Without JavaScript, searching and choosing collectivités reload the page (GET) with what
        # was typed so far and the collectivités chosen.
        form = ConventionCreateForm(initial=ConventionCreateForm.initial_from(request.GET), caf=caf)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "template"}
            convention = Convention.objects.create_from_template(form.cleaned_data["template"], caf=caf, **fields)
            convention.add_signatory(caf=caf)
            for collectivite in form.chosen_collectivites():
                convention.add_signatory(collectivite=collectivite)
        refresh_missing_count(convention)
        messages.success(request, "Convention créée. Complétez maintenant les représentants des signataires.")
        return redirect("convention_signatories", pk=convention.pk)
    context = {"form": form, "chosen": form.chosen_collectivites(), **collectivite_search_results(request.GET)}
    return render(request, "conventions/convention_create.html", context)


def collectivite_search(request):
    """htmx: communes and EPCIs matching the typed name, INSEE code or SIREN, in place in the
    creation and signatories pages (which answer the same search themselves without JavaScript)."""
    params = request.GET if "q" in request.GET else {"q": ""}
    return render(request, "conventions/includes/collectivite_results.html", collectivite_search_results(params))


def collectivite_chosen(request, pk):
    """htmx: the checked box of a collectivité added to the list of signatories."""
    collectivite = get_object_or_404(Collectivite, pk=pk)
    return render(request, "conventions/includes/collectivite_chosen.html", {"collectivite": collectivite})

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from conventions.completeness import refresh_missing_count
from conventions.forms import ConventionCreateForm
from conventions.models import Collectivite, Convention


def convention_create(request):
    """A Caf user creates a convention from one of their Caf's models or the national one."""
    caf = request.user.caf if request.user.is_caf_user else None
    if caf is None:
        raise PermissionDenied("Seuls les agents d'une Caf créent des conventions.")
    form = ConventionCreateForm(request.POST or None, caf=caf)
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
    context = {"form": form, "chosen": form.chosen_collectivites()}
    return render(request, "conventions/convention_create.html", context)


def collectivite_search(request):
    """htmx: communes and EPCIs matching the typed name, INSEE code or SIREN."""
    results = Collectivite.objects.search(request.GET.get("q"))[:15]
    return render(request, "conventions/includes/collectivite_results.html", {"results": results})


def collectivite_chosen(request, pk):
    """htmx: the checked box of a collectivité added to the list of signatories."""
    collectivite = get_object_or_404(Collectivite, pk=pk)
    return render(request, "conventions/includes/collectivite_chosen.html", {"collectivite": collectivite})

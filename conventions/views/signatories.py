from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from conventions.forms import RepresentativeFormSet, SignatoryForm
from conventions.forms.convention import collectivites_in_order
from conventions.models import Signatory
from conventions.wording import is_feminine_designation, with_de

from .access import can_edit, get_convention_for_user, refusal
from .changes import NOT_SAVED, after_change
from .confirm import confirm
from .create import collectivite_search_results


def convention_signatories(request, pk):
    """The parties and their representatives; each party needs at least one representative."""
    convention = get_convention_for_user(request, pk, edit=request.method == "POST")
    editable = can_edit(request.user, convention)
    signatories = list(convention.signatories.select_related("caf", "collectivite"))
    data = request.POST if request.method == "POST" else None
    parties = [
        (
            signatory,
            SignatoryForm(data, instance=signatory, prefix=f"party-{signatory.pk}"),
            RepresentativeFormSet(data, instance=signatory, prefix=f"people-{signatory.pk}"),
        )
        for signatory in signatories
    ]
    if data is not None:
        if all(form.is_valid() and people.is_valid() for _signatory, form, people in parties):
            with transaction.atomic():
                for _signatory, form, people in parties:
                    form.save()
                    people.save()
            after_change(request, convention, "Signataires enregistrés.")
            return redirect("convention_signatories", pk=convention.pk)
        messages.error(request, NOT_SAVED)
    # A signed convention's page leads to the avenants whose signatories still change.
    unsigned_avenants = (
        [avenant for avenant in convention.avenants.all() if not avenant.is_signed] if convention.is_signed else []
    )
    context = {
        "convention": convention,
        "parties": parties,
        "editable": editable,
        "unsigned_avenants": unsigned_avenants,
        "not_saved": data is not None,  # sent, and sent back: some field is to be corrected
    }
    if editable:
        context |= collectivite_search_results(request.GET)
    return render(request, "conventions/convention_signatories.html", context, status=200 if data is None else 422)


@require_POST
def signatory_add(request, pk):
    convention = get_convention_for_user(request, pk, edit=True)
    signing = set(convention.signatories.values_list("collectivite_id", flat=True))
    chosen = [
        collectivite
        for collectivite in collectivites_in_order(request.POST.getlist("collectivites"))
        if collectivite.pk not in signing
    ]
    if not chosen:
        messages.error(request, "Cochez une collectivité qui ne signe pas déjà cette convention.")
        return redirect("convention_signatories", pk=convention.pk)
    for collectivite in chosen:
        convention.add_signatory(collectivite=collectivite)
    names = ", ".join(str(collectivite) for collectivite in chosen)
    after_change(request, convention, f"Ajouté(s) aux signataires : {names}. Indiquez leur représentant.")
    return redirect("convention_signatories", pk=convention.pk)


def signatory_remove(request, pk, signatory_pk):
    """A collectivité leaves the signatories, with its representatives, after a confirmation page;
    not while its délibération is attached."""
    convention = get_convention_for_user(request, pk)
    signatory = get_object_or_404(Signatory, pk=signatory_pk, convention=convention, collectivite__isnull=False)
    if not can_edit(request.user, convention):  # once another convention's signatory has answered 404
        raise refusal(convention, "Vous ne pouvez pas modifier cette convention.")
    blocker = None
    if convention.deliberations.filter(collectivite=signatory.collectivite).exists():
        blocker = (
            f"Supprimez d'abord la délibération {with_de(signatory.collectivite.name)} "
            "(annexe des délibérations), puis revenez retirer la collectivité."
        )
    elif request.method == "POST":
        signatory.delete()
        after_change(request, convention, f"{capfirst(signatory.designation)} ne signe plus la convention.")
        return redirect("convention_signatories", pk=convention.pk)
    representatives = signatory.representatives.count()
    equipments = signatory.listed_equipments().count()
    pronoun = "elle" if is_feminine_designation(signatory.designation) else "lui"  # le Département
    consequences = [f"Ses représentants ({representatives}) seront retirés avec {pronoun}."] if representatives else []
    if equipments:
        consequences.append(
            f"Ses équipements ({equipments}) resteront dans l'annexe des équipements, sans collectivité."
        )
    return confirm(
        request,
        convention,
        title="Retrait d'un signataire",
        question=f"Retirer {signatory.designation} des signataires ?",
        warning="Le retrait est définitif : il ne s'annule pas.",
        button="Retirer définitivement",
        consequences=consequences,
        blocker=blocker,
        active="signatories",
        cancel_url=reverse("convention_signatories", args=[convention.pk]),
    )

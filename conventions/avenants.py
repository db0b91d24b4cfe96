"""Avenants: opened on a signed convention, they rewrite articles or annexes, or prolong it; once
signed, the convention's current text includes them, while its original signed PDF stays as it was."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string

from conventions.lifecycle import ADMIN_ROLES, CAF_ROLES, archive, may, seal_signed_pdf, signature_date_errors
from conventions.models import AvenantChange, AvenantStatus, Convention, DocumentKind
from conventions.models.avenant import amending
from conventions.rendering.document import build_document, signatory_block
from conventions.rendering.pdf import layout, pdf_options
from conventions.rendering.text import (
    LEFTOVER_RE,
    placeholder_names,
    render_text,
    split_at_table_slot,
)
from conventions.rendering.values import convention_values, numbering
from conventions.wording import agreed, french_date


def open_change(avenant, section):
    """A change of an article or annex, starting from its current text."""
    refuse_unless_convention_in_force(avenant)
    if not avenant.is_open:
        raise ValidationError("Un avenant validé ou signé ne reçoit plus de modification.")
    kind = "article" if section._meta.model_name == "article" else "annex"
    change, _created = AvenantChange.objects.get_or_create(
        avenant=avenant, **{kind: section}, defaults={"old_text": section.text, "new_text": section.text}
    )
    return change


def avenant_document(avenant):
    """What the avenant prints: the convention's parties and signature blocks, each change with the
    real number of the article or annex it rewrites, and the new end date it gives, which its texts
    print too."""
    convention = avenant.convention_as_amended()
    document = build_document(convention)
    document.is_draft = not avenant.is_signed
    document.signed_document = "le présent avenant"  # the parties sign the avenant, not the convention again
    document.short_title = f"Avenant n°{avenant.number} — {document.short_title}"
    document.signatories = avenant_signatory_blocks(avenant)
    article_numbers = numbering(convention.articles.order_by("position"))
    annex_numbers = numbering(convention.annexes.order_by("position"))
    options = convention.options_in_force()
    changes = []
    for change in avenant.changes.select_related("article", "annex"):
        section = change.section
        if change.article_id:
            label = f"L'article {article_numbers.get(section.key, '')} « {section.title} »"
        else:
            label = f"L'annexe {annex_numbers.get(section.key, '')} « {section.title} »"
        replaced = agreed("remplacé", feminine=not change.article_id, plural=False)
        changes.append(
            {
                "heading": f"{label} est {replaced} par les dispositions suivantes :",
                "html": change_html(change, document.values, options),
            }
        )
    if avenant.new_end_date:
        changes.append(prolongation_clause(avenant))
    return document, changes


def prolongation_clause(avenant):
    """How the avenant prints the convention's new end date, after the articles and annexes it rewrites."""
    replaced = avenant.replaced_end_date or avenant.convention.end_date
    return {
        "heading": "La durée de la convention est prolongée :",
        "html": f"<p>La convention prend fin le {french_date(avenant.new_end_date)}, au lieu du "
        f"{french_date(replaced)}.</p>",
    }


def avenant_signatory_blocks(avenant):
    """The convention's parties, each with the people who sign the avenant for it
    (`Avenant.name_representatives`), without the convention's own signature dates."""
    people = {}
    for person in avenant.representatives.all():
        people.setdefault(person.signatory_id, []).append(person)
    blocks = []
    for party in avenant.convention.signatories.select_related("caf", "collectivite"):
        block = signatory_block(party, people.get(party.pk, []))
        block.signed_on = ""
        blocks.append(block)
    return blocks


# Where an annex's text places its table (`::: tableau`), the avenant says the table stays: its
# rows do not change by avenant, and the marker itself never prints.
TABLE_KEPT_HTML = "<p><em>[Tableau de l'annexe inchangé.]</em></p>"


def change_html(change, values, options):
    """The new text of a change as it prints in the avenant. An annex with a table keeps it (an
    avenant changes texts only): the avenant says so where the table prints in the text in force,
    at its `::: tableau` line, or after the text without one."""
    if not (change.annex_id and change.annex.has_a_table):
        return render_text(change.new_text, values, options)
    before_table, after_table = split_at_table_slot(change.new_text)
    after = render_text(after_table, values, options) if after_table.strip() else ""
    return render_text(before_table, values, options) + TABLE_KEPT_HTML + after


def render_avenant(avenant, *, archival=False):
    """The avenant's PDF, tagged for screen readers; `archival`: the signed copy to archive, also
    PDF/A-3b like the convention's (pdf_options)."""
    document, changes = avenant_document(avenant)
    context = {"document": document, "avenant": avenant, "changes": changes, "for_pdf": True}
    laid_out = layout(render_to_string("conventions/render/avenant.html", context))
    return laid_out.write_pdf(**pdf_options(laid_out, archival=archival))


def preview_avenant(avenant):
    document, changes = avenant_document(avenant)
    return render_to_string(
        "conventions/render/avenant.html",
        {"document": document, "avenant": avenant, "changes": changes, "for_pdf": False},
    )


# An avenant goes through the convention's lifecycle: brouillon, en concertation, validé, signé.
AVENANT_TRANSITIONS = {
    (AvenantStatus.DRAFT, AvenantStatus.CONSULTATION): "Mettre en concertation",
    (AvenantStatus.CONSULTATION, AvenantStatus.DRAFT): "Revenir au brouillon",
    (AvenantStatus.DRAFT, AvenantStatus.VALIDATED): "Valider l'avenant",
    (AvenantStatus.CONSULTATION, AvenantStatus.VALIDATED): "Valider l'avenant",
    (AvenantStatus.VALIDATED, AvenantStatus.CONSULTATION): "Rouvrir la concertation",
}


def avenant_transitions(avenant, user):
    """(target status, label) the user may choose now: none once the convention is terminated."""
    if not may(user, CAF_ROLES) or avenant.is_stopped:
        return []
    return [(target, label) for (source, target), label in AVENANT_TRANSITIONS.items() if source == avenant.status]


def refuse_unless_convention_in_force(avenant):
    """An avenant amends a signed convention; once the convention is terminated (résiliée), the
    avenants still open on it stop where they are."""
    if avenant.is_stopped:
        raise ValidationError("La convention est résiliée : ses avenants ne peuvent plus avancer.")


def lock_avenants_of(avenant):
    """Lock the avenant's convention until the transaction ends and read the avenant again: steps
    of one convention's avenants (a status change, a signature) then run one after the other,
    each on what the other left, so that a signed avenant cannot be moved back by a page opened
    before it was signed."""
    avenant.convention = Convention.objects.select_for_update().get(pk=avenant.convention_id)
    avenant.refresh_from_db(fields=["status", "signature_date", "new_end_date", "replaced_end_date"])


@transaction.atomic
def change_avenant_status(avenant, target, user):
    """Move the avenant along its lifecycle; a validation needs something to change."""
    if not may(user, CAF_ROLES):
        raise PermissionDenied("Votre rôle ne permet pas de faire avancer un avenant.")
    lock_avenants_of(avenant)
    refuse_unless_convention_in_force(avenant)
    if avenant.is_signed:
        raise ValidationError("L'avenant est signé : il ne change plus de statut.")
    if (avenant.status, target) not in AVENANT_TRANSITIONS:
        raise ValidationError("Cet avenant ne passe pas à ce statut.")
    if target == AvenantStatus.VALIDATED:
        problems = avenant_validation_problems(avenant)
        if problems:
            raise ValidationError(problems)
    avenant.status = target
    avenant.save(update_fields=["status"])


def avenant_validation_problems(avenant):
    """What prevents validating an avenant: it changes at least one article or annex or prolongs the
    convention within the duration rule, each change says something new, and none leaves text to
    complete ("XXX", "…", a placeholder the convention does not fill), as a convention's text
    (DESIGN §4, "Guidance never prints"); each party has someone to sign it."""
    changes = list(avenant.changes.select_related("article", "annex"))
    if not changes and not avenant.new_end_date:
        return ["Un avenant se valide avec au moins une modification d'article ou d'annexe, ou une prolongation."]
    values = convention_values(avenant.convention_as_amended())
    problems = [
        f"Personne ne signe l'avenant pour {party.designation} : nommez son représentant (Signataires de l'avenant)."
        for party in avenant_signatory_blocks(avenant)
        if not party.representatives
    ]
    for change in changes:
        unfilled = sorted(name for name in placeholder_names(change.new_text) if not values.get(name))
        if change.is_outdated:
            problems.append(outdated_change_problem(change))
        elif change.new_text.strip() == change.old_text.strip():
            problems.append(f"« {change.section} » : le nouveau texte est celui de la convention, rien ne change.")
        elif LEFTOVER_RE.search(change.new_text):
            problems.append(f"« {change.section} » : texte à compléter (« XXX », « … ») restant.")
        elif unfilled:
            names = ", ".join(f"« {{{{ {name} }}}} »" for name in unfilled)
            verb = "ne se remplit pas, remplacez-le" if len(unfilled) == 1 else "ne se remplissent pas, remplacez-les"
            problems.append(f"« {change.section} » : {names} {verb} par votre texte.")
    if avenant.prolongation_is_outdated:
        problems.append(outdated_prolongation_problem(avenant))
    elif avenant.new_end_date:
        problems += avenant.prolongation_errors(avenant.new_end_date)
    return problems


def outdated_prolongation_problem(avenant):
    """Why an outdated prolongation (see Avenant.prolongation_is_outdated) holds its avenant back:
    it names the avenant that changed the end date since, and the date it gave."""
    changed_by = avenant.end_date_changed_by()
    by = f"L'avenant n°{changed_by.number}, signé depuis," if changed_by else "Un avenant signé depuis"
    return (
        f"{by} a porté la fin de la convention au {french_date(avenant.convention.end_date)} : indiquez à "
        "nouveau la nouvelle date de fin."
    )


def outdated_change_problem(change):
    """Why an outdated change (see AvenantChange.is_outdated) holds its avenant back: it names the
    article or annex and the avenant that rewrote it."""
    amended_by = change.amended_by()
    modified = agreed("modifié", feminine=not change.article_id, plural=False)
    by = f" par l'avenant n°{amended_by.number}" if amended_by else ""
    return (
        f"« {change.section} » a été {modified}{by} depuis l'ouverture de cette modification :"
        " reprenez le texte en vigueur."
    )


def outdated_change_problems(avenant):
    """DESIGN §4, "Signed is frozen": a signed change is never lost. An avenant whose changes were
    written against a text another avenant has since rewritten, or whose prolongation replaces an
    end date another avenant has since changed, is neither validated nor signed until they take
    it up."""
    changes = avenant.changes.select_related("article", "annex")
    problems = [outdated_change_problem(change) for change in changes if change.is_outdated]
    return problems + ([outdated_prolongation_problem(avenant)] if avenant.prolongation_is_outdated else [])


def validate_avenant(avenant, user):
    change_avenant_status(avenant, AvenantStatus.VALIDATED, user)


@transaction.atomic
def sign_avenant(avenant, date, user):
    """Record the avenant's signature, archive its PDF, and write its changes into the convention."""
    if not may(user, ADMIN_ROLES):
        raise PermissionDenied("Seul un administrateur de la Caf enregistre la signature d'un avenant.")
    lock_avenants_of(avenant)  # so the checks below see what another signature just wrote
    convention = avenant.convention
    refuse_unless_convention_in_force(avenant)
    if avenant.is_signed:
        raise ValidationError("L'avenant est déjà signé.")
    if avenant.status != AvenantStatus.VALIDATED:
        raise ValidationError("L'avenant doit d'abord être validé.")
    outdated = outdated_change_problems(avenant)
    if outdated:
        raise ValidationError(outdated)
    date_errors = signature_date_errors(convention, [date], not_before=convention.signature_date)
    if date_errors:
        raise ValidationError(date_errors)
    avenant.status = AvenantStatus.SIGNED
    avenant.signature_date = date
    avenant.save(update_fields=["status", "signature_date"])
    pdf = render_avenant(avenant, archival=True)
    sealed = seal_signed_pdf(convention, pdf, f"Avenant n°{avenant.number} signé par toutes les parties")
    name = f"{convention.reference}-avenant-{avenant.number}"
    document = archive(convention, DocumentKind.AVENANT_PDF, f"{name}.pdf", pdf, user, avenant=avenant)
    if sealed is not None:
        archive(convention, DocumentKind.SEALED_AVENANT_PDF, f"{name}-scelle.pdf", sealed, user, avenant=avenant)
    token = amending.set(True)
    try:
        for change in avenant.changes.select_related("article", "annex"):
            section = change.section
            section.text = change.new_text
            section.save()
        if avenant.new_end_date:
            convention.end_date = avenant.new_end_date
            convention.save(update_fields=["end_date", "updated_at"])
    finally:
        amending.reset(token)
    return document

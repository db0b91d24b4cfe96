"""The lifecycle of a convention (DESIGN §2 and the ConventionStatus docstring): who may move it
where, what each step requires, and the signature that freezes it."""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from conventions.completeness import completeness_report
from conventions.models import (
    TERMINATION_FIELDS,
    AvenantStatus,
    ConventionStatus,
    DocumentKind,
    Role,
    SignedDocument,
    StatusChange,
)
from conventions.models.user import CAF_ROLES
from conventions.rendering.output import render_convention
from conventions.seal import SealUnavailable, seal
from conventions.wording import french_date, join_french

logger = logging.getLogger(__name__)

S = ConventionStatus
ADMIN_ROLES = (Role.CAF_ADMIN,)


@dataclass(frozen=True)
class Transition:
    label: str
    roles: tuple
    requires_complete: bool = False
    asked_on: str = ""  # a step that cannot be undone is confirmed on its own page (URL name)


TRANSITIONS = {
    (S.DRAFT, S.CONSULTATION): Transition("Mettre en concertation", CAF_ROLES),
    (S.CONSULTATION, S.DRAFT): Transition("Revenir au brouillon", CAF_ROLES),
    (S.DRAFT, S.VALIDATED): Transition("Valider", CAF_ROLES, requires_complete=True),
    (S.CONSULTATION, S.VALIDATED): Transition("Valider", CAF_ROLES, requires_complete=True),
    (S.VALIDATED, S.CONSULTATION): Transition("Rouvrir la concertation", CAF_ROLES),
    (S.SIGNED, S.TERMINATED): Transition("Résilier", ADMIN_ROLES, asked_on="convention_terminate"),
}
TERMINATION = (S.SIGNED, S.TERMINATED)


def may(user, roles):
    return user.is_superuser or user.role in roles


def available_transitions(convention, user):
    """(target status, label, the page that asks first or "") the user may choose now."""
    return [
        (target, transition.label, transition.asked_on)
        for (source, target), transition in TRANSITIONS.items()
        if source == convention.status and may(user, transition.roles)
    ]


def page_asking_first(convention, target):
    """The URL name of the page that confirms this step first, or "" when it is taken at once."""
    transition = TRANSITIONS.get((convention.status, target))
    return transition.asked_on if transition else ""


def may_terminate(user):
    return may(user, TRANSITIONS[TERMINATION].roles)


def termination_blocker(convention):
    """Why the convention cannot be terminated (résiliée) now, or None: only a signed one can."""
    source, _target = TERMINATION
    if convention.status != source:
        return f"Seule une convention signée se résilie : celle-ci est « {convention.get_status_display()} »."
    return None


def termination_date_errors(convention, effective_on):
    """A termination takes effect within the convention's life: not before its signature, when
    there is nothing to end yet, nor after its end date, when it ends by itself. The models' article
    « Résiliation » sets the delays (a month after a formal notice, six months' notice by mutual
    consent): the date of effect is the one they lead to."""
    signed_on = convention.signature_date or convention.start_date
    if effective_on < signed_on:
        return [
            f"La résiliation ne peut pas prendre effet avant la signature de la convention ({french_date(signed_on)})."
        ]
    if effective_on > convention.end_date:
        return [
            f"La convention prend fin d'elle-même le {french_date(convention.end_date)} : une résiliation prend "
            "effet au plus tard ce jour-là."
        ]
    return []


@transaction.atomic
def terminate(convention, user, *, effective_on, ground, details=""):
    """Terminate a signed convention (résiliation) from `effective_on`, on `ground` (TerminationGround)."""
    if errors := termination_date_errors(convention, effective_on):
        raise ValidationError(errors)
    convention.terminated_on, convention.termination_ground, convention.termination_details = (
        effective_on,
        ground,
        details,
    )
    return change_status(convention, S.TERMINATED, user)


def termination_consequences(convention):
    """What a termination (résiliation) ends, said on the page that asks to confirm it."""
    consequences = [
        "La convention prend fin avant son terme : elle reste consultable avec ses documents signés, "
        "mais ne change plus, même par avenant."
    ]
    open_avenants = [f"n°{avenant.number}" for avenant in convention.avenants.exclude(status=AvenantStatus.SIGNED)]
    if len(open_avenants) == 1:
        consequences.append(
            f"L'avenant {open_avenants[0]} en cours s'arrête où il en est : il ne pourra être ni validé ni signé."
        )
    elif open_avenants:
        consequences.append(
            f"Les avenants {join_french(open_avenants)} en cours s'arrêtent où ils en sont : ils ne pourront "
            "être ni validés ni signés."
        )
    return consequences


def deletion_blocker(convention):
    """Only a draft (brouillon) is deleted, a convention begun by mistake: from the concertation
    on, the collectivités have read it, and a signed one is archived (DESIGN §4)."""
    if convention.status == S.DRAFT:
        return None
    reason = f"Seul un brouillon se supprime : cette convention est « {convention.get_status_display()} »."
    if convention.status == S.CONSULTATION:
        reason += " Revenez d'abord au brouillon."
    return reason


def deletion_consequences(convention):
    """What deleting a draft takes with it, said on the page that asks to confirm it."""
    actions = convention.axes.aggregate(actions=Count("actions"))["actions"]
    files = convention.deliberations.exclude(file="").count()
    consequences = [
        "Ses articles, ses annexes, ses signataires et leurs représentants, ses tableaux et son historique "
        "de statuts sont supprimés avec elle."
    ]
    if actions:
        consequences.append(f"Son plan d'actions et ses {actions} fiche(s) action(s) sont supprimés.")
    if files:
        consequences.append(f"Les {files} PDF de délibération joints sont supprimés.")
    return consequences


def delete_draft(convention):
    """Delete a draft with all it holds, and the délibération PDFs it stored once that is done."""
    if blocker := deletion_blocker(convention):
        raise ValidationError(blocker)
    stored = [(deliberation.file.storage, deliberation.file.name) for deliberation in convention.deliberations.all()]
    with transaction.atomic():
        convention.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored if name])


@transaction.atomic
def change_status(convention, target, user):
    """Move the convention to `target`, if that step exists, the user may take it and, for a
    validation, the completeness report is empty. Recorded with who and when."""
    transition = TRANSITIONS.get((convention.status, target))
    if transition is None:
        raise ValidationError(f"Une convention « {convention.get_status_display()} » ne passe pas à ce statut.")
    if not may(user, transition.roles):
        raise PermissionDenied("Votre rôle ne permet pas ce changement de statut.")
    if transition.requires_complete:
        missing = completeness_report(convention)
        if missing:
            raise ValidationError(
                [f"Validation impossible : {len(missing)} point(s) à compléter."] + [item.message for item in missing]
            )
    StatusChange.objects.create(convention=convention, from_status=convention.status, to_status=target, by=user)
    convention.status = target
    written = TERMINATION_FIELDS if target == S.TERMINATED else ()
    convention.save(update_fields=["status", "updated_at", *written])
    return convention


def signature_blockers(convention):
    """What prevents the signature: the convention must be validated with nothing left to
    complete (ConventionStatus: "validated: the completeness report is empty, the text is ready to
    sign"; its text may have been edited since its validation), and every collectivité signatory
    must have its délibération."""
    blockers = []
    if convention.status != S.VALIDATED:
        blockers.append("La convention doit d'abord être validée.")
    missing = completeness_report(convention)
    if missing:
        blockers.append(f"Signature impossible : {len(missing)} point(s) à compléter depuis la validation.")
        blockers.extend(item.message for item in missing)
    deliberated = set(convention.deliberations.values_list("collectivite_id", flat=True))
    for signatory in convention.signatories.filter(collectivite__isnull=False).select_related("collectivite"):
        if signatory.collectivite_id not in deliberated:
            blockers.append(f"Il manque la délibération de : {signatory.collectivite}.")
    return blockers


def earliest_signature_date(convention):
    """A CTG is signed when its period is about to begin, or once it has begun (often months
    later): never before the 1st of January of the year before its start. An earlier date is a
    typing slip (01/01/1900, 2002 for 2022) that the archived PDF would carry for ever."""
    if convention.start_date is None:
        return None
    return datetime.date(convention.start_date.year - 1, 1, 1)


def signature_date_errors(convention, dates, *, not_before=None):
    """A signature is dated on or before today, on or after the earliest a CTG is signed
    (earliest_signature_date), and on or before the convention's end date (a convention is not
    signed once it has ended); an avenant's, on or after the signature of the convention it amends
    (`not_before`)."""
    errors = []
    today = timezone.localdate()
    earliest = earliest_signature_date(convention)
    for date in sorted(set(dates)):
        if earliest and date < earliest:
            errors.append(
                f"La date de signature du {date:%d/%m/%Y} est trop ancienne : la convention commence le "
                f"{convention.start_date:%d/%m/%Y}, elle se signe au plus tôt le {earliest:%d/%m/%Y}."
            )
        elif date > today:
            errors.append(f"La date de signature du {date:%d/%m/%Y} est dans le futur.")
        elif convention.end_date and date > convention.end_date:
            errors.append(
                f"La date de signature du {date:%d/%m/%Y} suit la fin de la convention "
                f"({convention.end_date:%d/%m/%Y})."
            )
        if not_before and date < not_before:
            errors.append(
                f"La date de signature du {date:%d/%m/%Y} précède la signature de la convention "
                f"({not_before:%d/%m/%Y})."
            )
    return errors


@transaction.atomic
def sign(convention, dates, user):
    """Record each party's date of signature, freeze the convention, and archive its final PDF
    (rendered once, without the draft mark, with the dates in the signature blocks) with its
    SHA-256. `dates` maps each signatory to its date. The convention's row is locked and its status
    read again first: a second click, or a second tab, finds it signed and records nothing."""
    locked = type(convention).objects.select_for_update().only("status").get(pk=convention.pk)
    convention.status = locked.status
    blockers = signature_blockers(convention) + signature_date_errors(convention, dates.values())
    if blockers:
        raise ValidationError(blockers)
    if not may(user, ADMIN_ROLES):
        raise PermissionDenied("Seul un administrateur de la Caf enregistre la signature.")
    for signatory, date in dates.items():
        signatory.signed_on = date
        signatory.save(update_fields=["signed_on"])
    convention.signature_date = max(dates.values())
    convention.save(update_fields=["signature_date", "updated_at"])
    StatusChange.objects.create(convention=convention, from_status=convention.status, to_status=S.SIGNED, by=user)
    convention.status = S.SIGNED
    convention.save(update_fields=["status", "updated_at"])
    pdf = render_convention(convention, preview=False, archival=True).pdf
    sealed = seal_signed_pdf(convention, pdf, "Convention signée par toutes les parties")
    document = archive(convention, DocumentKind.SIGNED_PDF, f"{convention.reference}-signee.pdf", pdf, user)
    if sealed is not None:
        archive(convention, DocumentKind.SEALED_PDF, f"{convention.reference}-signee-scellee.pdf", sealed, user)
    return document


def seal_signed_pdf(convention, pdf, reason):
    """The signed PDF sealed by the Caf, or None when the Caf has no certificate. Sealed before
    anything is archived: a certificate that cannot be opened stops the signature with a message,
    and the rolled-back signature leaves no file behind."""
    try:
        return seal(pdf, convention.caf, reason=reason, location=convention.signature_place)
    except SealUnavailable as error:
        logger.error("Sealing the signed PDF of %s failed: %s", convention.reference, error)
        raise ValidationError(
            f"La signature n'est pas enregistrée : le PDF signé n'a pas pu être scellé. {error} "
            "Prévenez l'administrateur technique, puis recommencez."
        ) from error


def archive(convention, kind, name, content, user, *, avenant=None):
    document = SignedDocument(
        convention=convention,
        kind=kind,
        avenant=avenant,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=user,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def find_signed(content):
    """The archived document whose bytes are exactly these, or None."""
    digest = hashlib.sha256(content).hexdigest()
    return SignedDocument.objects.filter(sha256=digest).select_related("convention").first()

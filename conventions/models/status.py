"""A convention's statuses, and what each lets change."""

from django.db import models


class ConventionStatus(models.TextChoices):
    """The lifecycle of a convention.

    - draft: Caf staff write it from the model;
    - consultation: the text is negotiated with the signatories (en concertation);
    - validated: the completeness report is empty, the text is ready to sign;
    - signed: every party signed; the text is frozen, changes go through an avenant;
    - terminated: ended early (résiliation).
    Whether a signed convention is in force or expired follows from its dates.
    """

    DRAFT = "draft", "Brouillon"
    CONSULTATION = "consultation", "En concertation"
    VALIDATED = "validated", "Validée"
    SIGNED = "signed", "Signée"
    TERMINATED = "terminated", "Résiliée"


# Once signed (and after a résiliation), a convention and its parts no longer change.
FROZEN_STATUSES = (ConventionStatus.SIGNED, ConventionStatus.TERMINATED)
# Why a frozen convention refuses a change, as the refusal says it.
FROZEN_REASONS = {
    ConventionStatus.SIGNED: "La convention est signée : elle ne change plus que par avenant.",
    ConventionStatus.TERMINATED: "La convention est résiliée : elle ne change plus.",
}
# What may still be written on a frozen convention: its lifecycle and bookkeeping.
WRITABLE_WHEN_FROZEN = {"status", "updated_at", "missing_count", "version"}
# A signed convention's status only moves on, to its termination: never back to a draft, where its
# text could change under its archived signed copy (whoever asks: views, admin, shell).
STATUS_CHANGES_WHEN_FROZEN = {(ConventionStatus.SIGNED, ConventionStatus.TERMINATED)}
# Written once, with the termination (résiliation), and never again.
TERMINATION_FIELDS = ("terminated_on", "termination_ground", "termination_details")


class TerminationGround(models.TextChoices):
    """Why a convention is terminated: the cases of the models' article « Résiliation » (Isère,
    national 2025, Nord), and any other the parties state."""

    FORMAL_NOTICE = "mise_en_demeure", "De plein droit, après une mise en demeure restée sans effet"
    WITHOUT_NOTICE = "sans_mise_en_demeure", "De plein droit, sans mise en demeure (convention modifiée sans avenant)"
    MUTUAL_CONSENT = "consentement_mutuel", "Par consentement mutuel ou dénonciation, après le délai de prévenance"
    OTHER = "autre", "Autre motif"

"""Avenants: the only way a signed convention changes (DESIGN §4, "Signed is frozen")."""

import contextvars
import copy
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from conventions.rendering.text import normalise_newlines
from conventions.wording import french_date, with_a

from .caf import Representative
from .convention import Convention, ConventionStatus
from .lifecycle import ConventionFrozen, RefusesChangeOnceSigned
from .sections import Annex, Article
from .versioning import Versioned

# Set while a signed avenant writes its changes into the convention it amends: the one moment a
# signed convention's text may change.
amending = contextvars.ContextVar("amending", default=False)


class AvenantQuerySet(models.QuerySet):
    def create_for(self, convention, by):
        """Avenant n°N+1 of a signed convention."""
        if convention.status != ConventionStatus.SIGNED:
            raise ValidationError("Seule une convention signée (et non résiliée) se modifie par avenant.")
        number = (self.filter(convention=convention).aggregate(models.Max("number"))["number__max"] or 0) + 1
        avenant = self.create(convention=convention, number=number, created_by=by)
        avenant.name_representatives()
        return avenant


class AvenantStatus(models.TextChoices):
    """An avenant goes through its convention's lifecycle up to the signature, with the same values
    as ConventionStatus, worded for an avenant (masculine: "validé", "signé")."""

    DRAFT = ConventionStatus.DRAFT.value, "Brouillon"
    CONSULTATION = ConventionStatus.CONSULTATION.value, "En concertation"
    VALIDATED = ConventionStatus.VALIDATED.value, "Validé"
    SIGNED = ConventionStatus.SIGNED.value, "Signé"


# While it takes changes.
OPEN_AVENANT_STATUSES = (AvenantStatus.DRAFT, AvenantStatus.CONSULTATION)


class Avenant(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="avenants", verbose_name="convention"
    )
    number = models.PositiveSmallIntegerField("numéro")
    status = models.CharField("statut", max_length=20, choices=AvenantStatus.choices, default=AvenantStatus.DRAFT)
    signature_date = models.DateField("date de signature", null=True, blank=True)
    new_end_date = models.DateField(
        "nouvelle date de fin",
        null=True,
        blank=True,
        help_text="Pour prolonger la convention : le jour où elle prendra fin. Vide : sa durée ne change pas.",
    )
    # The end date the prolongation was written against (as AvenantChange.old_text).
    replaced_end_date = models.DateField("date de fin remplacée", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name="créé par"
    )

    objects = AvenantQuerySet.as_manager()
    # Its opening, each step of its lifecycle and its signature date, in the convention's history.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        ordering = ["convention", "number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="unique_avenant_number")]

    def __str__(self):
        return f"Avenant n°{self.number} — {self.convention.reference}"

    @property
    def title(self):
        return f"Avenant n°{self.number} {with_a(self.convention.title)}"

    def signed_copy(self):
        """The archived copy of the signed avenant to hand out: sealed by the Caf when it was, else
        as rendered at the signature; None before the signature."""
        from .lifecycle import DocumentKind, SignedDocument

        kinds = [DocumentKind.SEALED_AVENANT_PDF, DocumentKind.AVENANT_PDF]
        documents = {
            document.kind: document for document in SignedDocument.objects.filter(avenant=self, kind__in=kinds)
        }
        return next((documents[kind] for kind in kinds if kind in documents), None)

    def name_representatives(self):
        """Who signs the avenant for each party, as it opens: for the Caf, the representatives of its
        record as they are now (its administrator keeps them up to date: a new director signs);
        for each collectivité, those who signed the last signed avenant, else the convention (a
        mayor elected since signs the next avenants too). Changed on the avenant's « Signataires »
        page while it is open; the convention's own stay as signed."""
        last_signed = (
            self.convention.avenants.filter(status=AvenantStatus.SIGNED)
            .exclude(pk=self.pk)
            .order_by("-signature_date", "-number")
            .first()
        )
        signed_last_time = {}
        for person in last_signed.representatives.all() if last_signed else ():
            signed_last_time.setdefault(person.signatory_id, []).append(person)
        people = []
        for party in self.convention.signatories.select_related("caf").prefetch_related("representatives"):
            if party.caf_id:
                source = party.caf.representatives.all()
            else:
                source = signed_last_time.get(party.pk) or party.representatives.all()
            people += [AvenantRepresentative(avenant=self, signatory=party, **person.as_fields()) for person in source]
        bulk_create_with_history(people, AvenantRepresentative, default_user=self.created_by)

    @property
    def is_signed(self):
        return self.status == AvenantStatus.SIGNED

    def prolongation_errors(self, new_end_date):
        """DESIGN §4, "Duration", for a convention prolonged by avenant: it then ends later than it
        does now, and no later than the duration rule allows from its start date (a CTG until
        31 December of its start year + 4, an acte d'engagement one year)."""
        convention = self.convention
        if new_end_date <= convention.end_date:
            return [
                "La nouvelle date de fin doit être postérieure à la date de fin actuelle de la convention "
                f"({french_date(convention.end_date)})."
            ]
        return convention.end_date_errors(new_end_date)

    def convention_as_amended(self):
        """The convention as it reads once this avenant is signed: with the new end date it gives,
        so that a text the avenant rewrites prints that date (« jusqu'au {{ date_fin }} »), in its
        drafts, in the copy archived at its signature, and later. Never saved."""
        if not self.new_end_date or self.convention.end_date == self.new_end_date:
            return self.convention
        amended = copy.copy(self.convention)
        amended.end_date = self.new_end_date
        return amended

    def prolong_until(self, new_end_date):
        """The avenant prolongs the convention until `new_end_date` (None: it no longer does),
        written against the convention's end date as it is now."""
        self.new_end_date = new_end_date
        self.replaced_end_date = self.convention.end_date if new_end_date else None
        self.save(update_fields=["new_end_date", "replaced_end_date"])

    def end_date_changed_by(self):
        """The signed avenant that last gave the convention its end date, other than this one."""
        return (
            self.convention.avenants.filter(status=AvenantStatus.SIGNED, new_end_date__isnull=False)
            .exclude(pk=self.pk)
            .order_by("-signature_date", "-number")
            .first()
        )

    @property
    def prolongation_is_outdated(self):
        """Another avenant signed since changed the end date this prolongation replaces: signing
        it as it is would undo that one (DESIGN §4, "Signed is frozen")."""
        return bool(self.new_end_date) and not self.is_signed and self.replaced_end_date != self.convention.end_date

    @property
    def is_stopped(self):
        """Not signed when the convention it amends was terminated (résiliée): it stops where it is."""
        return not self.is_signed and not self.convention.is_signed

    @property
    def is_open(self):
        """Still takes changes: in draft or consultation, on a convention in force."""
        return self.status in OPEN_AVENANT_STATUSES and not self.is_stopped


def refuse_once_the_avenant_is_signed(avenant_id, message):
    """DESIGN §4, "Signed is frozen", for what belongs to an avenant."""
    if avenant_id and Avenant.objects.filter(pk=avenant_id, status=ConventionStatus.SIGNED).exists():
        raise ConventionFrozen(message)


class AvenantChange(RefusesChangeOnceSigned, Versioned):
    """One article or annex the avenant rewrites, with the text it had when the change was opened.
    Versioned: two people writing the same change do not overwrite each other unknowingly."""

    avenant = models.ForeignKey(Avenant, on_delete=models.CASCADE, related_name="changes", verbose_name="avenant")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, null=True, blank=True, verbose_name="article")
    annex = models.ForeignKey(Annex, on_delete=models.PROTECT, null=True, blank=True, verbose_name="annexe")
    old_text = models.TextField("texte avant l'avenant", editable=False)
    new_text = models.TextField("nouveau texte (Markdown)")
    # Each text saved while the avenant is negotiated stays readable in the convention's history.
    history = HistoricalRecords(excluded_fields=["old_text", "version"])

    class Meta:
        verbose_name = "modification d'avenant"
        verbose_name_plural = "modifications d'avenant"
        ordering = ["avenant", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=True, annex__isnull=False)
                | models.Q(article__isnull=False, annex__isnull=True),
                name="avenant_change_is_article_or_annex",
                violation_error_message="Une modification porte sur un article ou sur une annexe.",
            )
        ]

    def __str__(self):
        return str(self.section)

    def refuse_if_signed(self):
        refuse_once_the_avenant_is_signed(self.avenant_id, "Cet avenant est signé : il ne change plus.")

    @property
    def section(self):
        return self.article or self.annex

    @property
    def is_outdated(self):
        """DESIGN §4, "Signed is frozen": what a signed avenant wrote is not undone behind its back,
        so a signed change is never lost. A change is written against
        the text in force when it was opened (`old_text`); once another avenant signed since has
        rewritten the same article or annex, signing this change as it is would erase that one. It
        is outdated until it takes up the text in force (`take_up_text_in_force`). A signed change
        is the text in force, or was rewritten by a later one: never outdated."""
        if self.avenant.is_signed:
            return False
        return normalise_newlines(self.old_text) != normalise_newlines(self.section.text)

    def amended_by(self):
        """The signed avenant that last rewrote the same article or annex, other than this one."""
        same_section = {"article_id": self.article_id} if self.article_id else {"annex_id": self.annex_id}
        last = (
            AvenantChange.objects.filter(**same_section, avenant__status=AvenantStatus.SIGNED)
            .exclude(avenant_id=self.avenant_id)
            .select_related("avenant")
            .order_by("-avenant__signature_date", "-avenant__number")
            .first()
        )
        return last.avenant if last else None

    @property
    def text_in_force_digest(self):
        """Names the text in force a user was shown, to tell whether it changed again since."""
        return hashlib.sha256(self.section.text.encode()).hexdigest()

    def take_up_text_in_force(self, seen_digest):
        """The change is now written against the text in force, which its author was shown (by its
        digest) and merged into the new text: it is no longer outdated. False, and nothing taken up,
        when the text in force changed again since it was shown."""
        if seen_digest != self.text_in_force_digest:
            return False
        self.old_text = self.section.text
        return True


class AvenantRepresentative(RefusesChangeOnceSigned, Representative):
    """A person who signs the avenant for one of the convention's parties."""

    avenant = models.ForeignKey(
        Avenant, on_delete=models.CASCADE, related_name="representatives", verbose_name="avenant"
    )
    signatory = models.ForeignKey(
        "conventions.Signatory",
        on_delete=models.CASCADE,
        related_name="avenant_representatives",
        verbose_name="signataire",
    )
    history = HistoricalRecords()

    class Meta(Representative.Meta):
        verbose_name = "représentant d'un signataire de l'avenant"
        verbose_name_plural = "représentants des signataires de l'avenant"

    def refuse_if_signed(self):
        refuse_once_the_avenant_is_signed(self.avenant_id, "Cet avenant est signé : ses signataires ne changent plus.")

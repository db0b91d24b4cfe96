"""What a convention goes through: status changes recorded with who and when, the signed documents
archived with their SHA-256, and the rule that a signed convention no longer changes."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

from conventions.wording import french_date

from .convention import Convention
from .status import FROZEN_REASONS, FROZEN_STATUSES, ConventionStatus


class ConventionFrozen(PermissionDenied):
    """A change to a signed (or terminated) convention: it changes only through an avenant."""


class RefusesChangeOnceSigned(models.Model):
    """A record that refuses to be saved or deleted once what it belongs to is signed, whoever
    asks (views, admin, shell): DESIGN §4, "Signed is frozen". `refuse_if_signed` says when."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_signed()
        return super().delete(*args, **kwargs)

    def refuse_if_signed(self):
        raise NotImplementedError


class FrozenWhenSigned(RefusesChangeOnceSigned):
    """Parts of a convention: they refuse to change once the convention is signed."""

    class Meta:
        abstract = True

    def frozen_convention_id(self):
        return self.convention_id

    def refuse_if_signed(self):
        from .avenant import amending

        if amending.get():
            return
        convention_id = self.frozen_convention_id()
        if not convention_id:
            return
        status = Convention.objects.filter(pk=convention_id).values_list("status", flat=True).first()
        if status in FROZEN_STATUSES:
            raise ConventionFrozen(FROZEN_REASONS[status])


class StatusChange(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="status_changes", verbose_name="convention"
    )
    from_status = models.CharField("de", max_length=20, choices=ConventionStatus.choices)
    to_status = models.CharField("à", max_length=20, choices=ConventionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "changements de statut"
        ordering = ["convention", "at"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class DocumentKind(models.TextChoices):
    SIGNED_PDF = "signed_pdf", "PDF signé (rendu à la signature)"
    SEALED_PDF = "sealed_pdf", "PDF signé scellé par la Caf"
    AVENANT_PDF = "avenant_pdf", "Avenant signé"
    SEALED_AVENANT_PDF = "sealed_avenant_pdf", "Avenant signé scellé par la Caf"
    EXTERNAL_ORIGINAL = "external_original", "Original signé (scan ou plateforme de signature)"


# What a document is, in a sentence ("Ce PDF est … de <convention>").
DOCUMENT_DESCRIPTIONS = {
    DocumentKind.SIGNED_PDF: "le PDF signé",
    DocumentKind.SEALED_PDF: "le PDF signé et scellé par la Caf",
    DocumentKind.AVENANT_PDF: "un avenant signé",
    DocumentKind.SEALED_AVENANT_PDF: "un avenant signé et scellé par la Caf",
    DocumentKind.EXTERNAL_ORIGINAL: "l'original signé",
}


class SignedDocument(models.Model):
    """An archived document of a signed convention, found again by its SHA-256."""

    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="signed_documents", verbose_name="convention"
    )
    kind = models.CharField("nature", max_length=30, choices=DocumentKind.choices)
    avenant = models.ForeignKey(
        "conventions.Avenant", on_delete=models.PROTECT, null=True, blank=True, verbose_name="avenant"
    )
    file = models.FileField("fichier", upload_to="signed/%Y/")
    sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    created_at = models.DateTimeField("archivé le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="archivé par"
    )

    class Meta:
        verbose_name = "document signé"
        verbose_name_plural = "documents signés"
        ordering = ["convention", "created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.convention.reference}"

    @property
    def signature_date(self):
        """The day the document was signed: an avenant's own day, not its convention's."""
        return self.avenant.signature_date if self.avenant_id else self.convention.signature_date

    def archived_by_name(self):
        """Who archived it, by the name their account had then (its history): renaming an account
        later does not rewrite the archive's trail."""
        if self.created_by_id is None:
            return ""
        try:
            then = self.created_by.history.as_of(self.created_at)
        except self.created_by.DoesNotExist:  # an account made before its history was kept
            then = self.created_by
        return then.get_full_name() or then.username

    @property
    def nature(self):
        """What the document is, in a word or two, as the export's manifest lists it."""
        if self.avenant_id:
            sealed = " et scellé par la Caf" if self.kind == DocumentKind.SEALED_AVENANT_PDF else ""
            return f"Avenant n°{self.avenant.number} signé{sealed}"
        return self.get_kind_display()

    @property
    def description(self):
        """What the document is, in a sentence ("Ce PDF est … de <convention>"): an avenant says
        which one and when it was signed, not the convention's date alone."""
        if self.avenant_id:
            signed = f" le {french_date(self.avenant.signature_date)}" if self.avenant.signature_date else ""
            sealed = " et scellé par la Caf" if self.kind == DocumentKind.SEALED_AVENANT_PDF else ""
            return f"l'avenant n°{self.avenant.number}, signé{signed}{sealed},"
        return DOCUMENT_DESCRIPTIONS[self.kind]

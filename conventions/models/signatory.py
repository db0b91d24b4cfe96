"""The parties to a convention and the people who sign for them."""

from django.db import models, transaction
from simple_history.models import HistoricalRecords

from .caf import Caf, Representative
from .collectivite import DELIBERATING_COUNCILS, Collectivite
from .convention import Convention
from .lifecycle import FrozenWhenSigned
from .searchable import Searchable, SearchableQuerySet


class Signatory(FrozenWhenSigned):
    """A party to the convention: the Caf or a collectivité, with its representatives."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="signatories", verbose_name="convention"
    )
    position = models.PositiveSmallIntegerField("ordre de signature")
    caf = models.ForeignKey(Caf, on_delete=models.PROTECT, null=True, blank=True, verbose_name="Caf")
    collectivite = models.ForeignKey(
        Collectivite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name="collectivité",
    )
    history = HistoricalRecords()
    alias = models.CharField("ci-après dénommé(e)", max_length=100, blank=True, help_text="« la Caf », « la commune »")
    signed_on = models.DateField("signée le", null=True, blank=True)

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["convention", "position"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "position"], name="unique_signatory_position"),
            models.CheckConstraint(
                condition=models.Q(caf__isnull=True, collectivite__isnull=False)
                | models.Q(caf__isnull=False, collectivite__isnull=True),
                name="signatory_is_caf_or_collectivite",
                violation_error_message="Un signataire est soit la Caf, soit une collectivité.",
            ),
        ]

    def __str__(self):
        return str(self.caf or self.collectivite)

    def delete(self, *args, **kwargs):
        """The party stops signing, with its representatives, whoever removes it (its page, the
        administration). The équipements listed under its collectivité (the national 2025 model's
        annexe 2 makes « un tableau par collectivité locale signataire ») stay in the annex under
        none: a table headed by a collectivité that no longer signs would be wrong, and the rows
        are the Caf's work."""
        with transaction.atomic():
            for equipment in self.listed_equipments():
                equipment.collectivite = None
                equipment.save(update_fields=["collectivite"])
            return super().delete(*args, **kwargs)

    def listed_equipments(self):
        """The convention's équipements listed under this party's collectivité."""
        if self.collectivite_id is None:
            return self.convention.equipments.none()
        return self.convention.equipments.filter(collectivite_id=self.collectivite_id)

    @property
    def designation(self):
        """ "la Caisse d'allocations familiales du Nord", "la commune d'Armentières"."""
        if self.caf_id:
            return f"la {self.caf.legal_name}"
        return self.collectivite.designation

    def deliberation_clause(self):
        """What authorises the party's representatives to sign, after « dûment autorisé à signer la
        présente convention »: « par délibération de son conseil municipal » (Var seed), « par
        délibération du conseil municipal » (Nord), « par délibération de son assemblée générale »
        (Isère, Yvelines, national 2025), in the model's words (`ConventionTemplate.deliberation_clause`)
        with the council of the collectivité's kind. The Caf and partners other than a commune, an
        EPCI or a Département sign with none."""
        council = DELIBERATING_COUNCILS.get(self.collectivite.kind) if self.collectivite_id else None
        clause = self.convention.template.deliberation_clause
        return clause.replace("{council}", council) if council and clause else ""

    @property
    def short_designation(self):
        """ "la Caf du Nord", "la commune d'Armentières": the heading of its signature block."""
        if self.caf_id:
            return f"la {self.caf.name}"
        return self.collectivite.designation


class SignatoryRepresentative(FrozenWhenSigned, Searchable, Representative):
    """A person who signs for a party of the convention; conventions are found by their name."""

    search_sources = ("first_name", "last_name")

    signatory = models.ForeignKey(
        Signatory, on_delete=models.CASCADE, related_name="representatives", verbose_name="signataire"
    )

    objects = SearchableQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta(Representative.Meta):
        verbose_name = "représentant du signataire"
        verbose_name_plural = "représentants des signataires"

    def frozen_convention_id(self):
        return self.signatory.convention_id

"""The structured content of annexes: diagnostic, équipements, steering bodies, délibérations."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conventions.actes import parse_actes_identifier
from conventions.secrecy import SECRET_MARK, is_secret

from .collectivite import Collectivite
from .convention import Convention
from .lifecycle import FrozenWhenSigned
from .template import StructureType


class ConventionPart(FrozenWhenSigned):
    """A row of an annex table, ordered within its convention."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, verbose_name="convention")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["convention", "position", "pk"]

    def save(self, *args, **kwargs):
        if not self.position:  # a new row goes to the end of its table
            last = type(self).objects.filter(convention_id=self.convention_id).aggregate(models.Max("position"))
            self.position = (last["position__max"] or 0) + 1
        super().save(*args, **kwargs)


class DiagnosticSection(ConventionPart):
    title = models.CharField("titre", max_length=300)
    text = models.TextField("texte (Markdown)", blank=True)

    class Meta(ConventionPart.Meta):
        verbose_name = "section du diagnostic"
        verbose_name_plural = "sections du diagnostic"
        default_related_name = "diagnostic_sections"

    def __str__(self):
        return self.title


class DiagnosticFigure(ConventionPart):
    label = models.CharField("indicateur", max_length=200)
    zone = models.CharField("zone", max_length=200, blank=True)
    zone_allocataires = models.PositiveIntegerField(
        "allocataires de la zone",
        null=True,
        blank=True,
        help_text="Pour une donnée communale ou infra-communale : sert au secret statistique.",
    )
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField("unité", max_length=20, blank=True)

    class Meta(ConventionPart.Meta):
        verbose_name = "donnée du diagnostic"
        verbose_name_plural = "données du diagnostic"
        default_related_name = "diagnostic_figures"

    def __str__(self):
        return f"{self.label} ({self.zone})" if self.zone else self.label

    @property
    def is_secret(self):
        return is_secret(self.value, self.zone_allocataires)

    def printed_value(self):
        """The value as the convention prints it: blanked by the statistical secrecy rule."""
        return SECRET_MARK if self.is_secret else self.value


class Equipment(ConventionPart):
    structure_type = models.CharField("type de structure", max_length=30, choices=StructureType.choices)
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=300, blank=True)
    manager = models.CharField("gestionnaire", max_length=200, blank=True)
    capacity = models.CharField("capacité", max_length=100, blank=True)
    commune = models.ForeignKey(
        Collectivite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": "commune"},
        verbose_name="commune",
    )

    class Meta(ConventionPart.Meta):
        verbose_name = "équipement"
        verbose_name_plural = "équipements"
        default_related_name = "equipments"

    def __str__(self):
        return self.name

    def clean(self):
        self.check_structure_type_is_one_of_the_models()

    def check_structure_type_is_one_of_the_models(self):
        """The équipements annex of each model lists its own structure types (the national 2025
        model's annexe 2, Var's annexe 1…): a row takes one of them, however it is entered (form,
        import, administration)."""
        if self.convention_id is None or not self.structure_type:
            return
        allowed = self.convention.template.structure_type_choices
        if allowed and self.structure_type not in dict(allowed):
            raise ValidationError(
                {
                    "structure_type": f"« {self.get_structure_type_display()} » n'est pas un type de l'annexe "
                    f"équipements de ce modèle. Types possibles : {', '.join(label for _, label in allowed)}."
                }
            )


class SteeringBody(ConventionPart):
    dispositif = models.CharField("dispositif", max_length=200)
    name = models.CharField("nom", max_length=200, blank=True)
    missions = models.TextField("missions", blank=True)
    composition = models.TextField("composition", blank=True)
    periodicity = models.CharField("périodicité", max_length=200, blank=True)

    class Meta(ConventionPart.Meta):
        verbose_name = "instance de pilotage"
        verbose_name_plural = "instances de pilotage"
        default_related_name = "steering_bodies"

    def __str__(self):
        return self.name or self.dispositif


class Deliberation(FrozenWhenSigned):
    """The council decision of a collectivité authorising the signature."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="deliberations", verbose_name="convention"
    )
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.PROTECT, related_name="deliberations", verbose_name="collectivité"
    )
    number = models.CharField("numéro", max_length=50)
    date = models.DateField("date")
    votes_for = models.PositiveSmallIntegerField("voix pour", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("voix contre", null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField("abstentions", null=True, blank=True)
    actes_identifier = models.CharField(
        "identifiant ACTES", max_length=60, blank=True, help_text="Par exemple 059-215900176-20230209-DE23027-DE."
    )
    file = models.FileField(
        "fichier PDF",
        upload_to="deliberations/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"], "La délibération doit être un fichier PDF.")],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "délibération"
        verbose_name_plural = "délibérations"
        ordering = ["convention", "date"]

    def __str__(self):
        return f"Délibération {self.number} du {self.date:%d/%m/%Y}"

    def check_date_is_not_in_the_future(self):
        """A délibération is recorded once the council has voted it: each collectivité's
        representative is "dûment autorisé à signer la présente convention par délibération de son
        assemblée" (the parties of the models), and the annex lists the délibérations passed. Its
        date cannot be after today: a later date is a typing slip (2099 for 2023)."""
        today = timezone.localdate()
        if self.date and self.date > today:
            raise ValidationError(
                {"date": f"La délibération ne peut pas être datée après aujourd'hui ({today:%d/%m/%Y})."}
            )

    def clean(self):
        super().clean()
        self.check_date_is_not_in_the_future()
        if self.actes_identifier and parse_actes_identifier(self.actes_identifier) is None:
            raise ValidationError(
                {
                    "actes_identifier": "Identifiant ACTES invalide : attendu "
                    "département-SIREN-AAAAMMJJ-numéro-nature, par exemple 059-215900176-20230209-DE23027-DE."
                }
            )

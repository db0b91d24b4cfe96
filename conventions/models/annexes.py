"""The structured content of annexes: diagnostic, équipements, steering bodies, délibérations."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conventions.actes import parse_actes_identifier
from conventions.secrecy import SECRET_MARK, is_secret
from conventions.wording import with_de

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
    collectivite = models.ForeignKey(
        Collectivite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="collectivité signataire",
        help_text="L'annexe des équipements fait un tableau par collectivité signataire.",
    )

    class Meta(ConventionPart.Meta):
        verbose_name = "équipement"
        verbose_name_plural = "équipements"
        default_related_name = "equipments"

    def __str__(self):
        return self.name

    def clean(self):
        self.check_structure_type_is_one_of_the_models()
        self.check_collectivite_signs_the_convention()

    def check_collectivite_signs_the_convention(self):
        """The national 2025 model's annexe 2 makes « un tableau par collectivité locale
        signataire »: an équipement is listed under a collectivité that signs the convention, or
        under none."""
        if self.convention_id is None or self.collectivite_id is None:
            return
        if not self.convention.signatories.filter(collectivite_id=self.collectivite_id).exists():
            message = f"{self.collectivite} ne signe pas cette convention : choisissez une collectivité signataire."
            raise ValidationError({"collectivite": message})

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


# No council has a thousand members (the largest, of a métropole or of Paris, about two hundred): a
# larger count is a typing slip, refused alike on every database.
COUNCIL_VOTES = MaxValueValidator(999, "Un conseil compte moins de 1 000 membres : vérifiez ce nombre.")
# A délibération authorising a convention is passed shortly before it starts, or after.
DELIBERATION_YEARS_BEFORE_START = 10


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
    votes_for = models.PositiveSmallIntegerField("voix pour", null=True, blank=True, validators=[COUNCIL_VOTES])
    votes_against = models.PositiveSmallIntegerField("voix contre", null=True, blank=True, validators=[COUNCIL_VOTES])
    abstentions = models.PositiveSmallIntegerField("abstentions", null=True, blank=True, validators=[COUNCIL_VOTES])
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

    def check_date_is_near_the_convention(self):
        """A délibération authorising a convention is passed when it is negotiated: a date more
        than DELIBERATION_YEARS_BEFORE_START years before the convention starts (1850 for 2018) is
        a typing slip."""
        if not (self.date and self.convention_id):
            return
        start = self.convention.start_date
        earliest = start.replace(year=start.year - DELIBERATION_YEARS_BEFORE_START, month=1, day=1)
        if self.date < earliest:
            raise ValidationError(
                {
                    "date": f"La délibération ne peut pas dater d'avant le {earliest:%d/%m/%Y}, "
                    f"{DELIBERATION_YEARS_BEFORE_START} ans avant le début de la convention "
                    f"({start:%d/%m/%Y}) : vérifiez l'année."
                }
            )

    def differences_with(self, actes):
        """What the act an ACTES identifier names (`actes`, parsed) says otherwise than this
        délibération: its date, its number, the SIREN of its collectivité. Empty when they agree."""
        differences = []
        if self.date and self.date != actes.date:
            differences.append(f"date {actes.date:%d/%m/%Y} (saisie : {self.date:%d/%m/%Y})")
        if self.number and self.number.replace(" ", "") != actes.number:
            differences.append(f"numéro {actes.number} (saisi : {self.number})")
        collectivite = self.collectivite if self.collectivite_id else None
        if collectivite and collectivite.siren and collectivite.siren != actes.siren:
            differences.append(f"SIREN {actes.siren} (celui {with_de(str(collectivite))} : {collectivite.siren})")
        return differences

    def check_actes_identifier(self):
        """An ACTES identifier typed is well formed and names this délibération."""
        if not self.actes_identifier:
            return
        actes = parse_actes_identifier(self.actes_identifier)
        if actes is None:
            raise ValidationError(
                {
                    "actes_identifier": "Identifiant ACTES invalide : attendu "
                    "département-SIREN-AAAAMMJJ-numéro-nature, par exemple 059-215900176-20230209-DE23027-DE."
                }
            )
        differences = self.differences_with(actes)
        if differences:
            raise ValidationError(
                {"actes_identifier": "Cet identifiant ACTES désigne un autre acte : " + " ; ".join(differences) + "."}
            )

    def clean(self):
        super().clean()
        self.check_date_is_not_in_the_future()
        self.check_date_is_near_the_convention()
        self.check_actes_identifier()

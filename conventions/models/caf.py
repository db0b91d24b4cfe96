from django.db import models
from simple_history.models import HistoricalRecords

from conventions.wording import with_de


class Civility(models.TextChoices):
    MADAME = "Madame", "Madame"
    MONSIEUR = "Monsieur", "Monsieur"


class Representative(models.Model):
    """A person who signs for a party: "la présidente de son conseil d'administration, Madame X"."""

    civility = models.CharField("civilité", max_length=8, choices=Civility.choices)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    function = models.CharField(
        "fonction",
        max_length=200,
        help_text="Avec son déterminant, telle qu'elle suit « représentée par » : « sa directrice », « son maire ».",
    )
    signature_title = models.CharField(
        "titre du bloc de signature", max_length=200, help_text="Par exemple « La Directrice », « Le Maire »."
    )
    acting = models.BooleanField("par intérim", default=False)
    position = models.PositiveSmallIntegerField("ordre", default=1)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.civility} {self.first_name} {self.last_name}"

    def as_fields(self):
        return {
            field: getattr(self, field)
            for field in ("civility", "first_name", "last_name", "function", "signature_title", "acting", "position")
        }

    @property
    def full_function(self):
        return f"{self.function} par intérim" if self.acting else self.function

    @property
    def full_signature_title(self):
        return f"{self.signature_title} par intérim" if self.acting else self.signature_title


class Caf(models.Model):
    """A Caisse d'allocations familiales, one per département."""

    code = models.CharField("code du département", max_length=3, unique=True)
    department = models.CharField(
        "département", max_length=100, help_text="Avec son article : « l'Isère », « les Yvelines », « le Nord »."
    )
    legal_name = models.CharField("dénomination", max_length=200)
    ca_deliberation_date = models.DateField(
        "date de la délibération du conseil d'administration sur la stratégie CTG", null=True, blank=True
    )
    signature_place = models.CharField("lieu de signature habituel", max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Caf"
        verbose_name_plural = "Caf"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """ "Caf de l'Isère", "Caf des Yvelines", "Caf du Nord"."""
        return f"Caf {with_de(self.department)}"

    def natural_key(self):
        return (self.code,)


class CafRepresentative(Representative):
    caf = models.ForeignKey(Caf, on_delete=models.CASCADE, related_name="representatives", verbose_name="Caf")
    history = HistoricalRecords()

    class Meta(Representative.Meta):
        verbose_name = "représentant de la Caf"
        verbose_name_plural = "représentants de la Caf"

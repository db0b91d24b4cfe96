from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from conventions.searching import normalize_for_search
from conventions.wording import with_de

from .searchable import Searchable, SearchableQuerySet

insee_code_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", "Le code INSEE d'une commune compte cinq caractères (par exemple 59017 ou 2A004)."
)
siren_validator = RegexValidator(r"^\d{9}$", "Un SIREN compte neuf chiffres.")
# A name is searched from its second letter: one letter would find half the communes.
MIN_SEARCH_LETTERS = 2


# More people than France counts is a typing slip, refused alike on every database (SQLite would
# take any integer, PostgreSQL answers with its own bound).
POPULATION_BOUND = MaxValueValidator(
    70_000_000, "Plus d'habitants que la France n'en compte (68 millions) : vérifiez ce nombre."
)


class CollectiviteKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    OTHER = "autre", "Autre partenaire"


# "Ci-après dénommée « la commune »": how the text names each kind of party after the parties clause.
DEFAULT_ALIASES = {
    CollectiviteKind.COMMUNE: "la commune",
    CollectiviteKind.EPCI: "l'EPCI",
    CollectiviteKind.DEPARTEMENT: "le Département",
    CollectiviteKind.OTHER: "",
}


# "par délibération de son conseil municipal": the council that authorises a collectivité to sign.
DELIBERATING_COUNCILS = {
    CollectiviteKind.COMMUNE: "conseil municipal",
    CollectiviteKind.EPCI: "conseil communautaire",
    CollectiviteKind.DEPARTEMENT: "conseil départemental",
}


def too_short_to_search(text):
    """Whether `text` holds too few letters or digits to search collectivités with."""
    return len(normalize_for_search(text)) < MIN_SEARCH_LETTERS


class CollectiviteQuerySet(SearchableQuerySet):
    def communes(self):
        return self.filter(kind=CollectiviteKind.COMMUNE)

    def epcis(self):
        return self.filter(kind=CollectiviteKind.EPCI)

    def signing_with(self, caf):
        """The collectivités that are parties to one of the Caf's conventions: those whose
        chargé(e) de coopération the Caf administrator gives an account (DESIGN §2)."""
        return self.filter(
            pk__in=models.Subquery(self.model.objects.filter(signatures__convention__caf=caf).values("pk"))
        )

    def search(self, text):
        """By name, whatever the case, accents and apostrophes typed ("armentieres", "LE PRADET",
        "Isere" for "l'Isère"), or by INSEE code or SIREN; nothing for less than two letters."""
        if too_short_to_search(text):
            return self.none()
        text = text.strip()
        return self.filter(
            models.Q(search_text__contains=normalize_for_search(text))
            | models.Q(insee_code=text.upper())
            | models.Q(siren=text)
        )


class Collectivite(Searchable):
    """A local authority or partner that can sign a convention."""

    search_sources = ("name",)

    kind = models.CharField("nature", max_length=12, choices=CollectiviteKind.choices)
    name = models.CharField(
        "nom",
        max_length=200,
        help_text="Commune : « Armentières », « Le Pradet » ; département avec son article : « l'Isère » ; "
        "EPCI et autres : la dénomination complète.",
    )
    insee_code = models.CharField(
        "code INSEE", max_length=5, unique=True, null=True, blank=True, validators=[insee_code_validator]
    )
    siren = models.CharField("SIREN", max_length=9, unique=True, null=True, blank=True, validators=[siren_validator])
    population = models.PositiveIntegerField(
        "population municipale", null=True, blank=True, validators=[MinValueValidator(0), POPULATION_BOUND]
    )
    epci = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        limit_choices_to={"kind": CollectiviteKind.EPCI},
        verbose_name="EPCI de rattachement",
    )
    department_code = models.CharField("département", max_length=3, blank=True)

    objects = CollectiviteQuerySet.as_manager()

    class Meta:
        verbose_name = "collectivité"
        verbose_name_plural = "collectivités"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="commune") | models.Q(insee_code__isnull=False),
                name="commune_has_insee_code",
                violation_error_message="Une commune doit avoir un code INSEE.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def default_alias(self):
        return DEFAULT_ALIASES.get(self.kind, "")

    @property
    def letterhead(self):
        """The name at the head of a document it issues: « Ville du Pradet » (Var seed: « VILLE DU
        PRADET »); another collectivité by its designation."""
        if self.kind == CollectiviteKind.COMMUNE:
            return f"Ville {with_de(self.name)}"
        return self.designation[:1].upper() + self.designation[1:]

    @property
    def designation(self):
        """How the conventions name it: "la commune d'Armentières", "le Département de l'Isère"."""
        if self.kind == CollectiviteKind.COMMUNE:
            return f"la commune {with_de(self.name)}"
        if self.kind == CollectiviteKind.DEPARTEMENT:
            return f"le Département {with_de(self.name)}"
        first = self.name[:1]
        return self.name if first.islower() else f"la {first.lower()}{self.name[1:]}"

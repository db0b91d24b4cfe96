import datetime

import factory

from conventions.models import (
    Caf,
    CafRepresentative,
    Collectivite,
    CollectiviteKind,
    Convention,
    ConventionTemplate,
    Signatory,
    SignatoryRepresentative,
    User,
)


class CafFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caf
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 900) + 100}")
    department = factory.Sequence(lambda n: f"la Somme {n}")
    legal_name = factory.LazyAttribute(lambda caf: f"Caisse d'allocations familiales {caf.department}")
    signature_place = "Amiens"


class CafRepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CafRepresentative

    caf = factory.SubFactory(CafFactory)
    civility = "Madame"
    first_name = "Claire"
    last_name = "MARTIN"
    function = "sa directrice"
    signature_title = "La Directrice"


class CollectiviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collectivite

    kind = CollectiviteKind.COMMUNE
    name = factory.Sequence(lambda n: f"Villeneuve-{n}")
    insee_code = factory.Sequence(lambda n: f"{80000 + n}")
    population = 5000

    class Params:
        epci = factory.Trait(
            kind=CollectiviteKind.EPCI, insee_code=None, siren=factory.Sequence(lambda n: f"{200000000 + n}")
        )


class ConventionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionTemplate
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"modele-{n}")
    name = factory.LazyAttribute(lambda t: f"Modèle {t.slug}")
    version_date = datetime.date(2025, 1, 1)


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    reference = factory.Sequence(lambda n: f"convention-{n}")
    template = factory.SubFactory(ConventionTemplateFactory)
    caf = factory.SubFactory(CafFactory)
    title = "Convention territoriale globale"
    territory = "la commune de Villeneuve"
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2028, 12, 31)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    convention = factory.SubFactory(ConventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    collectivite = factory.SubFactory(CollectiviteFactory)


class SignatoryRepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignatoryRepresentative

    signatory = factory.SubFactory(SignatoryFactory)
    civility = "Monsieur"
    first_name = "Jean"
    last_name = "DUPONT"
    function = "son maire"
    signature_title = "Le Maire"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("mot-de-passe-de-test")

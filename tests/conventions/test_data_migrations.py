"""The data this session's migrations give the rows already there, run on today's models (the
fields they read and write have not changed since)."""

import datetime
import importlib

import pytest
from django.apps import apps

from conventions.models import Avenant, AvenantRepresentative, Convention, Role, SignatoryRepresentative
from tests.conventions.factories import UserFactory

pytestmark = pytest.mark.django_db


def migration(name):
    return importlib.import_module(f"conventions.migrations.{name}")


def test_avenants_opened_before_keep_the_conventions_representatives(nord_convention, nord_signature, caf_admin):
    avenant = Avenant.objects.create_for(nord_convention, caf_admin)
    AvenantRepresentative.objects.filter(avenant=avenant).delete()  # as before the migration

    migration("0021_avenant_representatives").name_representatives_of_existing_avenants(apps, None)

    convention_people = SignatoryRepresentative.objects.filter(signatory__convention=nord_convention)
    assert sorted(str(person) for person in avenant.representatives.all()) == sorted(
        str(person) for person in convention_people
    )


def test_each_convention_keeps_the_date_it_printed(nord_convention):
    Convention.objects.filter(pk=nord_convention.pk).update(ca_deliberation_date=None)

    migration("0022_convention_ca_deliberation_date").copy_the_cafs_date(apps, None)

    nord_convention.refresh_from_db()
    assert nord_convention.ca_deliberation_date == datetime.date(2019, 1, 17)


def test_a_commune_account_without_a_caf_gets_the_one_its_collectivite_signs_with(commune_user, nord_convention):
    elsewhere = UserFactory(role=Role.COMMUNE, collectivite=None)
    assert commune_user.caf is None

    migration("0023_user_caf_help").give_commune_accounts_their_caf(apps, None)

    commune_user.refresh_from_db()
    assert commune_user.caf == nord_convention.caf
    elsewhere.refresh_from_db()
    assert elsewhere.caf is None

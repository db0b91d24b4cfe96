import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from conventions.lifecycle import change_status, sign
from conventions.models import Caf, Convention, ConventionStatus, PdfRendition, Role
from tests.conventions.factories import CafFactory, CollectiviteFactory, UserFactory

# Read when pytest imports this file, before any test database replaces it.
CONFIGURED_DATABASE_NAME = connection.settings_dict["NAME"]


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_immediately():
    """Background tasks run at once, in the test's process (django-tasks' immediate backend);
    they are enqueued when a transaction commits, so most tests, which never commit, render none."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """PDFs and their caches go to a folder of the session's, never to the project's var/media."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The five models and the five demo conventions, loaded once for the whole session."""
    if connection.settings_dict["NAME"] == CONFIGURED_DATABASE_NAME:
        # pytest-django creates the test database only for a selection holding a `db` test: never
        # load the demo into the database the settings name (a developer's own).
        pytest.fail("No test database was created: run this test with the suite, or with a `django_db` test.")
    with django_db_blocker.unblock():
        call_command("load_models", stdout=StringIO())
        call_command("load_demo", stdout=StringIO())
        # The demo's pre-renders ran at once (immediate backend): no worker is running afterwards.
        PdfRendition.objects.update(render_started_at=None)


@pytest.fixture(autouse=True)
def _no_seal_certificates_from_the_demo(settings, tmp_path_factory):
    """Tests never use the demo's certificates in var/seal: those that seal make their own."""
    settings.SEAL_CERTIFICATES_DIR = tmp_path_factory.mktemp("seal")


@pytest.fixture(autouse=True)
def _fail_on_undefined_template_variable(settings):
    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")


class InvalidTemplateVariable(str):
    def __mod__(self, name):
        raise AssertionError(f"Undefined template variable: {name}")


@pytest.fixture
def demo(db):
    """The demo conventions by reference."""
    return {convention.reference: convention for convention in Convention.objects.all()}


@pytest.fixture
def nord_convention(demo):
    return demo["nord-armentieres-2023"]


@pytest.fixture
def national_convention(demo):
    return demo["national-2025-demo"]


@pytest.fixture
def var_caf_staff(db):
    """Staff of the Caf du Var, whose Caf holds the national model's demo convention."""
    return UserFactory(role=Role.CAF_STAFF, caf=Caf.objects.get(code="83"))


@pytest.fixture
def caf_admin(nord_convention):
    return UserFactory(role=Role.CAF_ADMIN, caf=nord_convention.caf)


@pytest.fixture
def nord_signature(nord_convention, caf_admin):
    """The Nord's demo convention validated, then signed by every party on 18/01/2023 and recorded
    by its Caf administrator: the archived signed PDF."""
    change_status(nord_convention, ConventionStatus.VALIDATED, caf_admin)
    return sign(
        nord_convention, dict.fromkeys(nord_convention.signatories.all(), datetime.date(2023, 1, 18)), caf_admin
    )


@pytest.fixture
def caf_staff(nord_convention):
    return UserFactory(role=Role.CAF_STAFF, caf=nord_convention.caf)


@pytest.fixture
def commune_user(nord_convention):
    collectivite = nord_convention.signatories.get(collectivite__isnull=False).collectivite
    return UserFactory(role=Role.COMMUNE, collectivite=collectivite)


@pytest.fixture
def other_caf_staff(db):
    return UserFactory(role=Role.CAF_STAFF, caf=CafFactory())


@pytest.fixture
def other_commune_user(db):
    return UserFactory(role=Role.COMMUNE, collectivite=CollectiviteFactory())


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)

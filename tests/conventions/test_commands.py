"""The management commands: export_pdf, completeness and create_demo_accounts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from pypdf import PdfReader

from conventions.demo_accounts import DEMO_PASSWORD
from conventions.models import Convention, PdfRendition, Role, User
from conventions.rendering import pdf
from conventions.rendering.helpers import Helpers

NORD = "nord-armentieres-2023"
DEMO_REFERENCES = [
    "isere-demo",
    "national-2025-demo",
    NORD,
    "var-le-pradet-2022",
    "yvelines-aubergenville-2024",
]


@pytest.fixture(autouse=True)
def _pdf_cache_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args):
    stdout = StringIO()
    call_command(*args, stdout=stdout)
    return stdout.getvalue()


# export_pdf


def test_export_pdf_writes_the_pdf_named_for_the_reference_and_prints_its_page_count(demo, tmp_path):
    folder = tmp_path / "export"

    output = run("export_pdf", NORD, "-o", str(folder))

    target = folder / f"{NORD}.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    page_count = len(PdfReader(target).pages)
    assert page_count > 1
    assert f"{target} ({page_count} pages)" in output
    assert [path.name for path in folder.iterdir()] == [f"{NORD}.pdf"]


def test_export_pdf_all_writes_every_convention(demo, tmp_path):
    folder = tmp_path / "export"

    output = run("export_pdf", "--all", "-o", str(folder))

    assert sorted(path.name for path in folder.iterdir()) == [f"{reference}.pdf" for reference in DEMO_REFERENCES]
    assert all(path.read_bytes().startswith(b"%PDF") for path in folder.iterdir())
    assert f"5 PDF écrit(s) dans {folder}." in output


def test_export_pdf_with_an_unknown_reference_names_it_and_writes_nothing(demo, tmp_path):
    folder = tmp_path / "export"

    with pytest.raises(CommandError, match="convention-inconnue") as error:
        run("export_pdf", NORD, "convention-inconnue", "-o", str(folder))

    assert NORD not in str(error.value)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_export_pdf_without_reference_or_all_is_an_error(demo, tmp_path):
    with pytest.raises(CommandError, match="--all"):
        run("export_pdf", "-o", str(tmp_path / "export"))


# completeness


def test_completeness_says_a_complete_convention_is_complete(demo):
    output = run("completeness", NORD)

    assert f"{NORD} : complète" in output


def test_completeness_lists_what_is_missing_and_exits_with_code_1(nord_convention):
    article = nord_convention.articles.get(key="objet")
    article.text += "\n\nHistorique du partenariat : {{ historique_partenariat }}.\n"
    article.save()
    stdout = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("completeness", NORD, stdout=stdout)

    assert error.value.returncode == 1
    output = stdout.getvalue()
    assert f"{NORD} : 1 point(s) à compléter avant la signature :" in output
    assert (
        "- Article « OBJET DE LA CTG » : « {{ historique_partenariat }} » est à remplacer par votre texte." in output
    )
    assert "complète" not in output


def test_completeness_of_an_unknown_reference_is_an_error_naming_it(demo):
    with pytest.raises(CommandError, match="convention-inconnue"):
        run("completeness", "convention-inconnue")


# create_demo_accounts


@pytest.mark.parametrize(
    ("username", "fields"),
    [
        pytest.param("admin", {"is_superuser": True, "role": "", "caf": None}, id="a superuser"),
        pytest.param("admin-caf59", {"is_superuser": False, "role": Role.CAF_ADMIN, "caf": "59"}, id="a Caf admin"),
        pytest.param("agent-caf59", {"is_superuser": False, "role": Role.CAF_STAFF, "caf": "59"}, id="a Caf staff"),
        pytest.param(
            "cc-armentieres",
            {"is_superuser": False, "role": Role.COMMUNE, "caf": "59", "collectivite": "Armentières"},
            id="a commune user, whose account the Caf du Nord manages",
        ),
    ],
)
def test_create_demo_accounts_prints_each_login_and_gives_it_its_role(demo, username, fields):
    output = run("create_demo_accounts")

    assert DEMO_PASSWORD in output
    assert username in output.split()
    user = User.objects.get(username=username)
    assert user.check_password(DEMO_PASSWORD)
    assert user.is_superuser == fields["is_superuser"]
    assert user.role == fields["role"]
    assert (user.caf.code if user.caf else None) == fields["caf"]
    if "collectivite" in fields:
        assert user.collectivite.name == fields["collectivite"]


def test_each_demo_account_is_described_as_french_writes_it(demo):
    output = run("create_demo_accounts")

    assert "Chargé(e) de coopération de la commune d'Armentières" in output
    assert "Chargé(e) de coopération du Département de l'Isère" in output


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        pytest.param("agent-caf59", [NORD], id="the Nord Caf staff reads the Nord convention only"),
        pytest.param("cc-armentieres", [NORD], id="Armentières reads the convention it signs only"),
        pytest.param("admin", DEMO_REFERENCES, id="the superuser reads them all"),
    ],
)
def test_demo_accounts_see_the_conventions_of_their_role(demo, username, visible):
    run("create_demo_accounts")
    user = User.objects.get(username=username)

    references = Convention.objects.visible_to(user).filter(reference__in=DEMO_REFERENCES)
    assert sorted(references.values_list("reference", flat=True)) == visible


def test_create_demo_accounts_twice_keeps_one_account_per_login(demo):
    run("create_demo_accounts")
    count = User.objects.count()

    run("create_demo_accounts")

    assert User.objects.count() == count


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_sets_up_its_renderer_and_layout_helper_and_says_it_runs_before_it_takes_a_task(
    monkeypatch, settings, db
):
    from django_tasks_db.management.commands import db_worker

    settings.PDF_LAYOUT_HELPERS = 1
    pdf.font_config.cache_clear()
    pdf.print_stylesheet.cache_clear()
    renderer_ready_when_polling, helpers_when_polling, alive_when_polling = [], [], []

    def polling(command, *args, **options):  # the library's loop, which a test does not enter
        renderer_ready_when_polling.append(pdf.print_stylesheet.cache_info().currsize == 1)
        helpers_when_polling.append(Helpers.count)
        alive_when_polling.append(PdfRendition.objects.worker_is_alive())

    monkeypatch.setattr(db_worker.Command, "handle", polling)
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO())

    assert renderer_ready_when_polling == [True]
    assert pdf.font_config.cache_info().currsize == 1
    assert helpers_when_polling == [1]
    assert Helpers.pool is None  # stopped with the worker
    assert alive_when_polling == [True]  # its heartbeat, before it renders anything
    assert not PdfRendition.objects.worker_is_alive()  # erased when it stopped


def test_a_heartbeat_the_database_refuses_is_logged_and_the_next_one_still_comes(monkeypatch, caplog, db):
    import datetime
    import time

    from django.db import DatabaseError

    from conventions.management.commands import db_worker

    beats = []

    def beat(worker):
        beats.append(worker)
        if len(beats) == 2:
            raise DatabaseError("the database is restarting")

    monkeypatch.setattr(db_worker, "WORKER_BEAT_EVERY", datetime.timedelta(milliseconds=10))
    monkeypatch.setattr(db_worker.WorkerHeartbeat.objects, "beat", beat)
    heartbeat = db_worker.Heartbeat("worker-under-test")
    heartbeat.start()
    deadline = time.monotonic() + 5
    while len(beats) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    heartbeat.stop()

    assert len(beats) >= 3
    assert "Heartbeat of the PDF worker not recorded: the database did not answer." in caplog.text

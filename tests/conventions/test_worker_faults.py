"""The PDF worker and the database: a pre-render that loses its connection (PostgreSQL restarted)
records its failure on a new connection, so the worker goes on with the next task.

Not a `db` test: the worker runs tasks outside any transaction, and a test transaction could not be
rolled back over the connection this test kills. It reads the session's demo data, so run it with
the suite (pytest-django creates the test database only for a session that holds a `db` test)."""

import pytest
from django.db import DatabaseError, connection

from conventions.models import Convention, PdfRendition
from conventions.tasks import prerender_pdf


def test_a_prerender_that_loses_its_database_connection_records_the_failure_and_reconnects(
    django_db_setup, django_db_blocker
):
    """Only the rendition's failure date changes; it is put back."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("a lost server connection is a PostgreSQL failure")
        convention = Convention.objects.get(reference="nord-armentieres-2023")
        failed_before = PdfRendition.objects.get(pk=convention.pk).failed_at
        connection.ensure_connection()
        with connection.get_new_connection(connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        try:
            with pytest.raises(DatabaseError):
                prerender_pdf.call(convention.pk)

            assert PdfRendition.objects.get(pk=convention.pk).failed_at != failed_before
        finally:
            connection.close()
            PdfRendition.objects.filter(pk=convention.pk).update(failed_at=failed_before)

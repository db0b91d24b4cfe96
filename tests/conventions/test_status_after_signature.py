"""A signed convention's status only moves on, to its termination: never back to a status where
its text could change under its archived signed copy."""

import pytest

from conventions.lifecycle import change_status
from conventions.models import ConventionFrozen
from conventions.models import ConventionStatus as S

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [S.DRAFT, S.CONSULTATION, S.VALIDATED])
def test_a_signed_convention_never_goes_back_to_an_earlier_status(nord_convention, nord_signature, status):
    nord_convention.status = status

    with pytest.raises(ConventionFrozen, match="ne peut pas revenir"):
        nord_convention.save()

    nord_convention.refresh_from_db()
    assert nord_convention.status == S.SIGNED


def test_a_signed_convention_is_terminated(nord_convention, nord_signature, caf_admin):
    change_status(nord_convention, S.TERMINATED, caf_admin)

    nord_convention.refresh_from_db()
    assert nord_convention.status == S.TERMINATED


def test_a_terminated_convention_stays_terminated(nord_convention, nord_signature, caf_admin):
    change_status(nord_convention, S.TERMINATED, caf_admin)
    nord_convention.status = S.SIGNED

    with pytest.raises(ConventionFrozen):
        nord_convention.save()

import pytest

from conventions.models import Role
from tests.conventions.factories import UserFactory


@pytest.fixture
def with_equipments(demo):
    """A convention whose model has an équipements annex (the Nord model has none)."""
    return demo["national-2025-demo"]


@pytest.fixture
def its_caf_staff(with_equipments):
    return UserFactory(role=Role.CAF_STAFF, caf=with_equipments.caf)

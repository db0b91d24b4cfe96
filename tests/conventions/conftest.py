import datetime

import pytest

from conventions.lifecycle import change_status, sign
from conventions.models import ConventionStatus
from conventions.rendering import parts


@pytest.fixture
def nord_signature(nord_convention, caf_admin):
    """The Nord's demo convention validated, then signed by every party on 18/01/2023 and recorded
    by its Caf administrator: the archived signed PDF."""
    change_status(nord_convention, ConventionStatus.VALIDATED, caf_admin)
    return sign(
        nord_convention, dict.fromkeys(nord_convention.signatories.all(), datetime.date(2023, 1, 18)), caf_admin
    )


@pytest.fixture
def layouts(monkeypatch):
    """The parts laid out, in order (each is the part's HTML)."""
    laid_out = []
    real_lay_out = parts.lay_out

    def counting(part, numbering):
        laid_out.append(part.html)
        return real_lay_out(part, numbering)

    monkeypatch.setattr(parts, "lay_out", counting)
    return laid_out

import pytest

from conventions.rendering import parts


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


@pytest.fixture
def signed(nord_convention, nord_signature):
    return nord_convention, nord_signature

"""ACTES identifiers of acts sent to the prefecture (DESIGN §1, "délibération").

`059-215900176-20230209-DE23027-DE`: département, SIREN of the authority, date of the act
(YYYYMMDD), internal act number, nature.
"""

import datetime
import re
from dataclasses import dataclass

NATURES = {
    "DE": "délibération",
    "AR": "acte réglementaire",
    "AI": "acte individuel",
    "CC": "contrat, convention ou avenant",
    "BF": "document budgétaire ou financier",
    "AU": "autre",
}

ACTES_PATTERN = re.compile(
    r"(?P<department>\d{3}|02A|02B)-(?P<siren>\d{9})-(?P<date>\d{8})-(?P<number>[A-Z0-9_]{1,15})-(?P<nature>"
    + "|".join(NATURES)
    + r")"
)


@dataclass(frozen=True)
class ActesIdentifier:
    department: str
    siren: str
    date: datetime.date
    number: str
    nature: str


def parse_actes_identifier(text):
    """Read an ACTES identifier, alone or inside a file name (`99_DE-078-217800291-…`).

    Returns an `ActesIdentifier`, or None when the text holds no valid one (an impossible date
    counts as invalid).
    """
    match = ACTES_PATTERN.search(text or "")
    if match is None:
        return None
    try:
        date = datetime.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        return None
    return ActesIdentifier(
        department=match["department"],
        siren=match["siren"],
        date=date,
        number=match["number"],
        nature=match["nature"],
    )

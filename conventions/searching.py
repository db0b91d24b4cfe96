"""Searches that ignore case, accents and punctuation, the same way on SQLite and PostgreSQL.

Neither database folds accents by itself without an extension (SQLite's LIKE only folds ASCII
case, PostgreSQL needs `unaccent`), so the text is folded in Python: once when a record is saved,
into its `search_text` column (`conventions.models.searchable.Searchable`), and once for what the
user typed; the query then compares the two with a plain LIKE, which both databases run alike.
"""

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})


def normalize_for_search(text):
    """`text` the way searches compare it: in lower case, without accents or ligatures, every run of
    characters that are neither letters nor digits (apostrophes, hyphens, dots…) as one space.

    "l'Isère" → "l isere", "Saint-Étienne" → "saint etienne", "LE PRADET" → "le pradet",
    "Cœuvres" → "coeuvres"."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(LIGATURES))
    letters = "".join(char if char.isalnum() else " " for char in folded if not unicodedata.combining(char))
    return " ".join(letters.split())

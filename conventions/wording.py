"""French wording rules: contractions, agreement, dates, amounts.

Pure functions, exposed to templates through `conventions.templatetags.ctg`.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

VOWELS = "aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ"

NUMBERS_IN_WORDS = (
    "zéro",
    "une",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
    "vingt",
)

NARROW_NBSP = "\u202f"


def with_de(name):
    """Put "de" before a name with French contraction: "de l'Isère", "des Yvelines", "du Nord",
    "du Pradet", "des Mureaux", "d'Armentières", "de La Londe-les-Maures", "de Voiron".

    DESIGN §4 (grammar): "la Caf de l'Isère", "des Yvelines", "du Nord", "du Var";
    "la commune d'Armentières", "du Pradet". The name carries its own article when it has one
    ("l'Isère", "les Yvelines", "le Nord", "Le Pradet"); only "le" and "les" contract with "de".
    """
    lowered = name.lower()
    if lowered.startswith("le "):
        return "du " + name[3:]
    if lowered.startswith("les "):
        return "des " + name[4:]
    if name[:1] in VOWELS:
        return "d'" + name
    return "de " + name


def with_a(title):
    """Put « à la » or « à l' » before a document's title inside a sentence: « Avenant n°1 à la
    convention territoriale globale de Voiron », « à la CTG de Grand Paris Seine et Oise » (an
    acronym keeps its capitals), « à l'acte d'engagement dans la démarche CTG »."""
    first_word = title.split(" ", 1)[0]
    if not (len(first_word) > 1 and first_word[:2].isupper()):
        title = title[:1].lower() + title[1:]
    return ("à l'" if title[:1] in VOWELS + "hH" else "à la ") + title


def is_feminine_designation(designation):
    """Gender of a party named with its article: "la commune …" is feminine, "le Département …"
    masculine; "l'…" is taken as feminine (l'agglomération, l'association)."""
    return not designation.lower().startswith(("le ", "les ", "du "))


def agreed(word, *, feminine, plural):
    """Agree a past participle with its subject: "autorisé", "autorisée", "autorisés", "autorisées".

    DESIGN §4 (grammar): "dûment autorisées" when both representatives are women, "autorisés" as soon
    as a man is among several, "autorisé(e)" for one.
    """
    return word + ("e" if feminine else "") + ("s" if plural else "")


def representatives_agreement(word, civilities):
    """Agree `word` with a group of representatives given by their civilities ("Madame", "Monsieur")."""
    civilities = list(civilities)
    feminine = bool(civilities) and all(civility == "Madame" for civility in civilities)
    return agreed(word, feminine=feminine, plural=len(civilities) > 1)


def french_date(value):
    """A date as the conventions write it: "1er janvier 2024", "31 décembre 2027"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_number(value, decimals=None):
    """A number with French digit grouping and decimal comma: "1 428 395,63", "24 944".

    Without `decimals`, a number prints the decimals it has, two at most: "24 944", "68,4".
    """
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals is None:
        decimals = min(max(-number.normalize().as_tuple().exponent, 0), 2)
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NARROW_NBSP.join(groups)
    if decimals:
        text += "," + fraction
    return sign + text


def french_amount(value):
    """An amount in euros: "1 428 395,63 €" (always two decimals)."""
    if value is None or value == "":
        return ""
    return f"{french_number(value, decimals=2)}\u00a0€"


def number_in_words(value):
    """Small counts in words, as "sept annexes": feminine "une"; figures beyond twenty."""
    if 0 <= value < len(NUMBERS_IN_WORDS):
        return NUMBERS_IN_WORDS[value]
    return str(value)


def join_french(items):
    """ "a", "a et b", "a, b et c"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


class FrenchList(str):
    """Names joined as French writes them ("a, b et c"), that remember how many they join: a text
    that puts one more name before the list with "et" reads "z, a, b et c" (`continues_after_et`)."""

    def __new__(cls, items):
        items = [item for item in items if item]
        joined = super().__new__(cls, join_french(items))
        joined.count = len(items)
        return joined


def continues_after_et(value):
    """Whether a list placed after "et" takes its place in the list instead: "la Caf de l'Isère et
    {{ collectivites }}" reads "la Caf de l'Isère, la commune de Voiron, la communauté
    d'agglomération … et le Département", with one "et", before the last party (DESIGN §4,
    grammar), not two."""
    return isinstance(value, FrenchList) and value.count > 1


def consolidation_notice(signed_on, avenants):
    """What a convention amended by signed avenants says under its title, since its signature
    blocks keep the dates of the original signature: "Version consolidée de la convention signée
    le 15 janvier 2025, intégrant l'avenant n°1 signé le 3 mars 2026" (an avenant "modifie la
    convention signée le …"; the text in force is the convention with its signed avenants).
    `avenants` are (number, signature date) pairs in order; none gives no notice."""
    if not avenants:
        return ""
    each = [f"n°{number} signé le {french_date(date)}" for number, date in avenants]
    integrated = f"l'avenant {each[0]}" if len(each) == 1 else f"les avenants {join_french(each)}"
    return f"Version consolidée de la convention signée le {french_date(signed_on)}, intégrant {integrated}"

"""The plain values (strings and numbers, never model instances) that fill a convention's
placeholders; fixtures/README.md lists them."""

from conventions.wording import FrenchList, french_amount, french_date, french_number, number_in_words, with_de

PAGE_COUNT_TOKEN = "\u27e6nombre_pages\u27e7"


def numbering(sections):
    """Number the numbered sections in document order: {key: number}. Computed at render time,
    so a cross-reference always shows the real number (DESIGN §4)."""
    numbers = {}
    for section in sections:
        if getattr(section, "numbered", True):
            numbers[section.key] = len(numbers) + 1
    return numbers


def placeholder_values(convention, articles, annexes, signatories, figures, deliberations=()):
    caf = convention.caf
    collectivites = [signatory.collectivite for signatory in signatories if signatory.collectivite_id]
    first = collectivites[0] if collectivites else None
    article_numbers = numbering(articles)
    annex_numbers = numbering(annexes)
    values = title_values(convention) | {
        "caf": caf.name,
        "caf_departement": with_de(caf.department),
        "date_deliberation_ca": french_date(convention.ca_deliberation_date),
        "collectivite": first.designation if first else "",
        "de_collectivite": with_de(first.designation) if first else "",
        "collectivite_nom": first.name if first else "",
        "collectivite_en_tete": first.letterhead if first else "",
        "date_deliberation_collectivite": deliberation_date(first, deliberations),
        "collectivites": FrenchList([collectivite.designation for collectivite in collectivites]),
        "de_collectivites": FrenchList([with_de(collectivite.designation) for collectivite in collectivites]),
        "lieu_signature": convention.signature_place,
        "date_signature": french_date(convention.signature_date),
        "nombre_annexes": str(len(annex_numbers)),
        "nombre_annexes_lettres": number_in_words(len(annex_numbers)),
        "nombre_pages": PAGE_COUNT_TOKEN,
    }
    # The Var model's name for it.
    values["date_deliberation_conseil_municipal"] = values["date_deliberation_collectivite"]
    values |= {f"article_{key}": str(number) for key, number in article_numbers.items()}
    values |= {f"annexe_{key}": str(number) for key, number in annex_numbers.items()}
    values |= {f"chiffre_{figure.key}": format_figure(figure.value, figure.unit) for figure in figures}
    return values


def deliberation_date(collectivite, deliberations):
    """The date of the délibération that authorises `collectivite` to sign, from the délibérations
    annex (the latest, when several are recorded): the visa « Vu la délibération du conseil
    municipal … en date du … » of the national 2025, Nord, Var and Yvelines models. Empty until
    one is recorded."""
    dates = [
        deliberation.date
        for deliberation in deliberations
        if collectivite and deliberation.collectivite_id == collectivite.pk
    ]
    return french_date(max(dates)) if dates else ""


def title_values(convention):
    """The values read from the convention itself, with no other query: enough for a title such as
    "Plan d'actions {{ annee_debut }}-{{ annee_fin }}" on the editing pages."""
    return {
        "territoire": convention.territory,
        "date_debut": french_date(convention.start_date),
        "date_fin": french_date(convention.end_date),
        "date_fin_courte": f"{convention.end_date:%d/%m/%Y}",
        "annee_debut": str(convention.start_date.year),
        "annee_fin": str(convention.end_date.year),
    }


def placeholders_for_editors(values):
    """The placeholders an editor may type in a text, each with what it prints in this convention
    now, by name; the page count is known only once the PDF is laid out."""
    shown = {PAGE_COUNT_TOKEN: "compté à l'impression"}
    return [(name, shown.get(value, value)) for name, value in sorted(values.items())]


def format_figure(value, unit):
    """ "1 428 395,63 €" for euros, "24 944" for a count, "12,5 %" for a share."""
    if unit == "€":
        return french_amount(value)
    number = french_number(value)
    return f"{number}\u00a0{unit}" if unit else number


def convention_values(convention):
    """The placeholder values of a convention, read from the database."""
    signatories = convention.signatories.select_related("caf", "collectivite")
    return placeholder_values(
        convention,
        list(convention.articles.order_by("position")),
        list(convention.annexes.order_by("position")),
        list(signatories),
        list(convention.figures.all()),
        list(convention.deliberations.all()),
    )

"""Competences of the autorités organisatrices (AO) de l'accueil du jeune enfant.

Code de l'action sociale et des familles, art. L. 214-1-3, as restated in article 3 of the 2025
national CTG model. Thresholds and dates live here and nowhere else.
"""

import datetime

from conventions.wording import french_number

PLANNING_POPULATION_THRESHOLD = 3_500
QUALITY_POPULATION_THRESHOLD = 10_000
AO_IN_FORCE_FROM = datetime.date(2025, 1, 1)
RPE_REQUIRED_FROM = datetime.date(2026, 1, 1)

RECENSEMENT = "recensement"
INFORMATION = "information"
PLANIFICATION = "planification"
QUALITE = "qualite"

COMPETENCES = (
    (RECENSEMENT, "Recenser les besoins et les modes d'accueil"),
    (INFORMATION, "Informer et accompagner les familles"),
    (PLANIFICATION, "Planifier le développement des modes d'accueil"),
    (QUALITE, "Soutenir la qualité des modes d'accueil"),
)


def mandatory_competences(population):
    """The competences a commune must exercise for its population (CASF art. L. 214-1-3).

    Every commune: recenser les besoins, informer et accompagner les familles. Above 3 500
    inhabitants (strictly), planifier; above 10 000 inhabitants (strictly), soutenir la qualité.
    """
    competences = [RECENSEMENT, INFORMATION]
    if population > PLANNING_POPULATION_THRESHOLD:
        competences.append(PLANIFICATION)
    if population > QUALITY_POPULATION_THRESHOLD:
        competences.append(QUALITE)
    return competences


def optional_competences(population):
    """The competences a commune may exercise "à titre facultatif" (the rest of the four)."""
    mandatory = mandatory_competences(population)
    return [code for code, _label in COMPETENCES if code not in mandatory]


def requires_multiyear_plan(population):
    """Above 10 000 inhabitants an AO adopts a schéma pluriannuel (the CTG can stand in for it)."""
    return population > QUALITY_POPULATION_THRESHOLD


def requires_rpe(population, on_date):
    """Above 10 000 inhabitants an AO runs a relais petite enfance from 1 January 2026."""
    return population > QUALITY_POPULATION_THRESHOLD and on_date >= RPE_REQUIRED_FROM


def table_breaches(rows, communes):
    """What an AO table lacks under CASF art. L. 214-1-3: each signatory commune of the convention
    holds every competence mandatory for its population, exercised itself or transferred to its
    EPCI, whether the table has lines for it or not (a table emptied of a commune's lines lacks
    them all).

    `rows` are (commune id, competence code) pairs, one per line of the table, whoever exercises it;
    `communes` maps each signatory commune id of the convention to (name, population). Returns
    French messages, empty when the table keeps the law.
    """
    held = {}
    for commune_id, competence in rows:
        held.setdefault(commune_id, set()).add(competence)
    labels = dict(COMPETENCES)
    messages = []
    for commune_id, (name, population) in communes.items():
        if population is None:
            messages.append(f"{name} : population inconnue, les compétences obligatoires ne peuvent être vérifiées.")
            continue
        competences = held.get(commune_id, set())
        for code in mandatory_competences(population):
            if code not in competences:
                messages.append(
                    f"{name} ({french_number(population)} habitants) : la compétence « {labels[code]} » "
                    "est obligatoire (exercée par la commune ou transférée à l'EPCI)."
                )
    return messages

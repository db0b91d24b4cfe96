"""What still stands between a convention and its signature (issue: completeness report)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from conventions.models import AnnexKind, CollectiviteKind
from conventions.rendering.text import LEFTOVER_RE, apply_options, option_holds, placeholder_names
from conventions.rendering.values import placeholder_values

# Filled when the parties sign: its blank is expected on the copy they sign.
FILLED_AT_SIGNATURE = {"date_signature"}
# Drawn from a field the report checks itself ("Champ « lieu de signature » vide."): reported once.
REPORTED_AT_THEIR_FIELD = {"lieu_signature", "territoire"}
# Where the editor fills the data the other known placeholders are drawn from (rendering/values.py).
A_SIGNATORY = "une collectivité signataire (rubrique Signataires)"
DATA_SOURCES = {
    "collectivite": A_SIGNATORY,
    "de_collectivite": A_SIGNATORY,
    "collectivite_nom": A_SIGNATORY,
    "collectivites": A_SIGNATORY,
    "caf_departement": "le département de la Caf (administration)",
    "date_deliberation_ca": "la date de délibération du conseil d'administration de la Caf (rubrique Informations)",
    "date_deliberation_collectivite": "la délibération de la 1re collectivité signataire (annexe des délibérations)",
    "date_deliberation_conseil_municipal": "la délibération de la collectivité signataire (annexe des délibérations)",
}


@dataclass(frozen=True)
class Missing:
    """One thing to fix: `where` names the place (article or annex key, field), `message` says what."""

    where: str
    message: str


# Annexes whose content is their table: their text only introduces it (« Liste des équipements… »).
CONTENT_IS_THE_TABLE = {AnnexKind.EQUIPMENTS, AnnexKind.ACTION_PLAN}


def annex_is_empty(annex, convention, options):
    """An annex has content when its printed text (with the convention's `options` applied), or the
    table it shows, has something; the équipements and the plan d'actions, when their table has."""
    if annex.kind not in CONTENT_IS_THE_TABLE and apply_options(annex.text, options).strip():
        return False
    rows = {
        AnnexKind.DIAGNOSTIC: lambda: (
            convention.diagnostic_sections.exists() or convention.diagnostic_figures.exists()
        ),
        AnnexKind.EQUIPMENTS: lambda: convention.equipments.exists(),
        AnnexKind.ACTION_PLAN: lambda: convention.axes.filter(actions__isnull=False).exists(),
        AnnexKind.STEERING: lambda: convention.steering_bodies.exists(),
        AnnexKind.DELIBERATIONS: lambda: convention.deliberations.exists(),
    }
    has_rows = rows.get(annex.kind)
    return not (has_rows and has_rows())


def annex_may_stay_empty(annex, options):
    """A required annex may stay empty with the option its model names (`optional_with`, « clé=valeur »):
    with the Yvelines model's 1st hypothesis, the diagnostic is still running and the plan d'actions
    is attached to the convention later, by avenant (the model's article 4 and annexe 1)."""
    condition = annex.template.optional_with if annex.template_id else ""
    if not condition:
        return False
    key, _, wanted = condition.partition("=")
    return option_holds(options, key, wanted or None)


def blank_placeholder(name):
    """What the editor does about a placeholder left blank: give the data it is drawn from, or,
    for a gap of the model, write the text in its place (fixtures/README.md, placeholders)."""
    written = f"« {{{{ {name} }}}} »"
    if name in DATA_SOURCES:
        return f"{written} attend {DATA_SOURCES[name]}"
    return f"{written} est à remplacer par votre texte"


def completeness_report(convention, *, articles=None, annexes=None):
    """The list of what is missing before signature: unresolved placeholders and leftovers, empty
    articles the Caf writes, empty required annexes or fields, signatories without representative,
    collectivités without délibération, the AO table's mandatory competences, the duration rule.
    Empty when the convention is ready. `articles` and `annexes`, in order, when the caller has them
    already."""
    missing = []
    if articles is None:
        articles = list(convention.articles.order_by("position"))
    if annexes is None:
        annexes = list(convention.annexes.select_related("template").order_by("position"))
    signatories = list(
        convention.signatories.select_related("caf", "collectivite").prefetch_related("representatives")
    )
    deliberations = list(convention.deliberations.all())
    values = placeholder_values(
        convention, articles, annexes, signatories, list(convention.figures.all()), deliberations
    )
    options = convention.options_in_force(signatories)

    for kind, sections in (("Article", articles), ("Annexe", annexes)):
        for section in sections:
            text = apply_options(section.text, options)
            label = f"{kind} « {section} »"
            for name in sorted(placeholder_names(text) | placeholder_names(section.title)):
                if not values.get(name) and name not in FILLED_AT_SIGNATURE | REPORTED_AT_THEIR_FIELD:
                    missing.append(Missing(section.key, f"{label} : {blank_placeholder(name)}."))
            if kind == "Article" and section.editable and not text.strip():
                missing.append(Missing(section.key, f"{label} : texte vide."))
            if LEFTOVER_RE.search(text):
                missing.append(Missing(section.key, f"{label} : texte à compléter (« XXX », « … ») restant."))
    for annex in annexes:
        if annex.required and not annex_may_stay_empty(annex, options) and annex_is_empty(annex, convention, options):
            missing.append(Missing(annex.key, f"Annexe « {annex} » : vide alors qu'elle est obligatoire."))

    for field in ("title", "territory", "signature_place"):
        if not getattr(convention, field):
            label = convention._meta.get_field(field).verbose_name
            missing.append(Missing(field, f"Champ « {label} » vide."))
    if not signatories:
        missing.append(Missing("signatories", "Aucun signataire."))
    deliberated = {deliberation.collectivite_id for deliberation in deliberations}
    for signatory in signatories:
        if not signatory.representatives.all():
            missing.append(Missing("signatories", f"Signataire « {signatory} » sans représentant."))
        collectivite = signatory.collectivite
        if collectivite and collectivite.kind != CollectiviteKind.OTHER and collectivite.pk not in deliberated:
            missing.append(Missing("deliberations", f"« {collectivite} » : aucune délibération enregistrée."))
    missing += ao_table_missing(convention)
    try:
        convention.clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            missing.extend(Missing(field, message) for message in messages)
    return missing


def ao_table_missing(convention):
    """On a model with the AO table (the 2025 national model, annexe 3), what the saved table lacks:
    each signatory commune holds the competences its population makes mandatory, the rule the AO
    table page applies (`plans.ao.table_breaches`). An empty table is told in one point."""
    if not convention.template.has_ao_tables:
        return []
    from plans.models import saved_ao_table_breaches  # plans depends on conventions, not the reverse

    breaches = saved_ao_table_breaches(convention)
    label = "Tableau des autorités organisatrices"
    if breaches and not convention.ao_competences.exists():
        return [Missing("ao_table", f"{label} : vide, les compétences obligatoires des communes n'y sont pas.")]
    return [Missing("ao_table", f"{label} : {breach}") for breach in breaches]


def refresh_missing_count(convention):
    """Store how many points the report lists, for the lists of conventions (one query per page,
    not one report per convention)."""
    convention.missing_count = len(completeness_report(convention))
    type(convention).objects.filter(pk=convention.pk).update(missing_count=convention.missing_count)
    return convention.missing_count

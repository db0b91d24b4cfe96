"""Gather everything a convention's template displays, in as few queries as possible."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import select_template

from conventions.models import AnnexKind, Signatory, StructureType
from conventions.wording import consolidation_notice, french_date, representatives_agreement

from .text import FootnoteNumbering, render_inline, render_text, split_at_table_slot
from .values import numbering, placeholder_values

TEMPLATE_PARTS = ("parties", "signatures", "article_heading", "annex_heading")


def template_names(slug, name):
    """A model's own template first, then the shared one: per-model differences are templates."""
    return [f"conventions/render/{slug}/{name}", f"conventions/render/{name}"]


def resolve_template(slug, name):
    return select_template(template_names(slug, name)).template.name


@dataclass
class RenderedSection:
    key: str
    number: int | None
    title: str
    html: str
    kind: str = ""
    template_name: str = ""
    html_after_table: str = ""  # an annex's text after the line that places its table


@dataclass
class SignatoryBlock:
    designation: str
    alias: str
    representatives: list
    authorised: str
    signed_on: str
    deliberation: str = ""  # "par délibération de son conseil municipal": Signatory.deliberation_clause


@dataclass
class ConventionDocument:
    convention: object
    title: str
    short_title: str
    is_draft: bool
    articles: list
    annexes: list
    signatories: list
    values: dict
    parts: dict
    data: dict = field(default_factory=dict)
    consolidation: str = ""  # a signed convention amended by avenants says so under its title
    signed_document: str = ""  # what the representatives are authorised to sign: "la présente convention"


def rendered_annex(annex, annex_numbers, values, options, slug, footnotes, table_texts=()):
    """An annex's text around its table; `table_texts` are texts its table prints (the diagnostic's
    sections), rendered between the two so that footnotes are numbered in reading order."""
    before_table, after_table = split_at_table_slot(annex.text)
    html = render_text(before_table, values, options, footnotes.at(annex.key))
    for section in table_texts:
        section.html = render_text(section.text, values, options, footnotes.at(section.key))
    return RenderedSection(
        key=annex.key,
        number=annex_numbers.get(annex.key),
        title=render_inline(annex.title, values),
        html=html,
        kind=annex.kind,
        template_name=resolve_template(slug, f"annexes/{annex.kind}.html"),
        html_after_table=render_text(after_table, values, options, footnotes.at(f"{annex.key}-suite"))
        if after_table.strip()
        else "",
    )


@dataclass
class DiagnosticSection(RenderedSection):
    """A section of the diagnostic annex: its `html` is rendered where the annex prints it
    (rendered_annex), so that its footnotes are numbered in reading order."""

    text: str = ""


def build_document(convention):
    """The convention ready to display: numbered sections with their HTML, signatories with the
    agreement of their representatives, and the rows of every annex table."""
    from plans.models import ActionSheet, AOCompetence  # plans depends on conventions, not the reverse

    slug = convention.template.slug
    articles = list(convention.articles.select_related("template").order_by("position"))
    annexes = list(convention.annexes.select_related("template").order_by("position"))
    signatories = list(
        convention.signatories.select_related("caf", "collectivite").prefetch_related("representatives")
    )
    figures = list(convention.figures.all())
    deliberations = list(convention.deliberations.select_related("collectivite"))
    values = placeholder_values(convention, articles, annexes, signatories, figures, deliberations)
    options = convention.options_in_force(signatories)
    article_numbers = numbering(articles)
    annex_numbers = numbering(annexes)

    axes = list(
        convention.axes.prefetch_related(Prefetch("actions", queryset=ActionSheet.objects.order_by("position")))
    )
    structure_labels = dict(StructureType.choices)
    equipments = list(convention.equipments.select_related("collectivite"))
    for equipment in equipments:
        equipment.type_label = structure_labels.get(equipment.structure_type, equipment.structure_type)
    equipment_tables = tables_by_collectivite(equipments, [signatory.collectivite for signatory in signatories])
    footnotes = FootnoteNumbering()
    rendered_articles = []
    for article in articles:
        rendered_articles.append(
            RenderedSection(
                key=article.key,
                number=article_numbers.get(article.key),
                title=render_inline(article.title, values),
                html=render_text(article.text, values, options, footnotes.at(article.key)),
            )
        )
    diagnostic_sections = [
        DiagnosticSection(
            key=f"diagnostic-{section.pk}",
            number=None,
            title=section.title,
            html="",
            text=section.text,
        )
        for section in convention.diagnostic_sections.all()
    ]
    rendered_annexes = [
        rendered_annex(
            annex,
            annex_numbers,
            values,
            options,
            slug,
            footnotes,
            table_texts=diagnostic_sections if annex.kind == AnnexKind.DIAGNOSTIC else (),
        )
        for annex in annexes
    ]
    data = {
        "figures": figures,
        "diagnostic_sections": diagnostic_sections,
        "diagnostic_figures": list(convention.diagnostic_figures.all()),
        "equipments": equipments,
        "equipment_tables": equipment_tables,
        "steering_bodies": list(convention.steering_bodies.all()),
        "deliberations": deliberations,
        "axes": axes,
        "ao_competences": AOCompetence.objects.filter(convention=convention).in_table_order(),
        "projections": projection_tables(convention),
        "years": convention.projection_years,
    }

    return ConventionDocument(
        convention=convention,
        title=convention.title,
        short_title=convention.title,
        is_draft=not convention.is_frozen,  # a terminated convention was signed: no draft mark
        articles=rendered_articles,
        annexes=rendered_annexes,
        signatories=[signatory_block(signatory) for signatory in signatories],
        values=values,
        parts={part: resolve_template(slug, f"{part}.html") for part in TEMPLATE_PARTS},
        data=data,
        signed_document=convention.template.signed_document,
        consolidation=consolidation_notice(convention.signature_date, convention.signed_avenants())
        if convention.is_frozen
        else "",
    )


def tables_by_collectivite(equipments, collectivites):
    """The équipements as the 2025 national model lists them, « un tableau par collectivité locale
    signataire » (annexe 2, headed by its name): (collectivité, équipements) in the signatories'
    order, the équipements of no collectivité in particular first, under no heading. A convention
    whose équipements name no collectivité prints one table, as the other models do."""
    order = {collectivite.pk: index for index, collectivite in enumerate(filter(None, collectivites))}
    tables = {}
    for equipment in equipments:
        tables.setdefault(equipment.collectivite, []).append(equipment)
    return sorted(tables.items(), key=lambda table: -1 if table[0] is None else order.get(table[0].pk, len(order)))


def projection_tables(convention):
    """The places-projection rows grouped by autorité organisatrice, each row with its values for
    the convention's years."""
    from plans.models import PlacesProjection

    tables, years = {}, convention.projection_years
    for row in PlacesProjection.objects.filter(convention=convention).select_related("collectivite"):
        row.yearly = row.values_for(years)
        tables.setdefault(row.collectivite.name, []).append(row)
    return list(tables.items())


def signatory_block(signatory: Signatory, representatives=None):
    """A party as it prints: by default with the representatives who sign the convention."""
    if representatives is None:
        representatives = list(signatory.representatives.all())
    return SignatoryBlock(
        designation=signatory.designation,
        alias=signatory.alias,
        representatives=representatives,
        authorised=representatives_agreement("autorisé", [person.civility for person in representatives]),
        signed_on=french_date(signatory.signed_on),
        deliberation=signatory.deliberation_clause(),
    )

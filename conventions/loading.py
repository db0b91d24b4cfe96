"""Load the Cafs, the convention models and the demo conventions from `fixtures/` (YAML).

The formats are described in fixtures/README.md. Loading is idempotent: records are matched by
their natural keys (Caf code, model slug, convention reference, INSEE code, SIREN) and updated.
"""

from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import F

from conventions.models import (
    FROZEN_STATUSES,
    Annex,
    AnnexTemplate,
    Article,
    ArticleTemplate,
    Caf,
    CafRepresentative,
    Collectivite,
    Convention,
    ConventionTemplate,
    Deliberation,
    DiagnosticFigure,
    DiagnosticSection,
    Equipment,
    KeyFigure,
    Signatory,
    SignatoryRepresentative,
    SteeringBody,
    TemplateOption,
)

# Out of the way of the positions a model's sections take (1, 2, …) while they are renumbered.
POSITIONS_SET_ASIDE = 10_000

REPRESENTATIVE_FIELDS = ("civility", "first_name", "last_name", "function", "signature_title", "acting")


def read_yaml_files(folder):
    folder = Path(settings.FIXTURES_DIR) / folder
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yaml"))]


@transaction.atomic
def load_caf(data):
    """Create a Caf from its fixture, or update its identity (département, dénomination). What its
    administrator keeps up to date in the application (place of signature, CA deliberation date,
    representatives) comes from the fixture only when the Caf is created: loading again never undoes
    their work."""
    identity = {"department": data["department"], "legal_name": data["legal_name"]}
    kept_up_to_date = {
        "ca_deliberation_date": data.get("ca_deliberation_date"),
        "signature_place": data.get("signature_place", ""),
    }
    caf, created = Caf.objects.update_or_create(
        code=str(data["code"]), defaults=identity, create_defaults=identity | kept_up_to_date
    )
    if created:
        for position, person in enumerate(data.get("representatives", []), start=1):
            CafRepresentative.objects.create(caf=caf, position=position, **_representative_fields(person))
    return caf


@transaction.atomic
def load_template(data):
    """Create or replace a convention model. Conventions already made from it keep their copies."""
    caf = Caf.objects.get(code=str(data["caf"])) if data.get("caf") else None
    template, _ = ConventionTemplate.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "caf": caf,
            "kind": data.get("kind", "ctg"),
            "version_date": data["version_date"],
            "structure_types": data.get("structure_types", []),
            "action_grid": data.get("action_grid", "ctg"),
            "deliberation_clause": data.get("deliberation_clause", ""),
        },
    )
    set_by_the_caf = {option.key: option for option in template.options.all()} if caf else {}
    template.options.all().delete()
    for position, option in enumerate(data.get("options") or [], start=1):
        loaded = TemplateOption(
            template=template,
            position=position,
            key=option["key"],
            label=option["label"],
            choices=option.get("choices") or [],
            default=option.get("default", False if not option.get("choices") else option["choices"][0]["value"]),
            guidance=option.get("guidance") or "",
            follows_signatory_kind=option.get("follows_signatory") or "",
        )
        keep_the_cafs_settings(loaded, set_by_the_caf.get(loaded.key))
        loaded.save()
    _replace_sections(template, ArticleTemplate, data.get("articles", []), ("numbered", "editable"))
    _replace_sections(template, AnnexTemplate, data.get("annexes", []), ("kind", "required", "optional_with"))
    relink_sections(template)
    return template


def relink_sections(template):
    """The articles and annexes that an earlier load left without their model's (it replaced the
    model's sections, until 2026-12-01) find theirs again by key, and show its guidance again."""
    for copies, originals in ((Article, template.articles), (Annex, template.annexes)):
        for original in originals.all():
            copies.objects.filter(convention__template=template, key=original.key, template__isnull=True).update(
                template=original
            )


def keep_the_cafs_settings(loaded, previous):
    """A Caf's model option keeps the label, guidance and starting value its administrator set
    (administration « Options des modèles »), the starting value while the model still offers it."""
    if previous is None:
        return
    loaded.label, loaded.guidance = previous.label, previous.guidance
    offered = [choice["value"] for choice in loaded.choices] if loaded.choices else [True, False]
    if previous.default in offered:
        loaded.default = previous.default


def _replace_sections(template, model, sections, flags):
    """The model's articles or annexes as its fixture lists them, each updated in place by its key:
    the articles and annexes of the conventions made from the model stay linked to theirs, and so
    keep showing its guidance. A section the fixture no longer lists is deleted; the conventions
    keep their copy of it."""
    model.objects.filter(template=template).exclude(key__in=[section["key"] for section in sections]).delete()
    # Positions are unique within a model: the kept sections leave theirs before being renumbered.
    model.objects.filter(template=template).update(position=F("position") + POSITIONS_SET_ASIDE)
    for position, section in enumerate(sections, start=1):
        model.objects.update_or_create(
            template=template,
            key=section["key"],
            defaults={
                "position": position,
                "title": section.get("title") or "",
                "text": (section.get("text") or "").strip("\n"),
                "guidance": (section.get("guidance") or "").strip(),
                **{flag: section.get(flag, model._meta.get_field(flag).get_default()) for flag in flags},
            },
        )


@transaction.atomic
def load_demo_convention(data):
    """Create (or recreate) a demo convention with its collectivités, signatories and annexes.

    Its plan d'actions is loaded by `plans.loading.load_demo`, which calls this first.
    """
    existing = Convention.objects.filter(reference=data["reference"]).first()
    if existing is not None and existing.status in FROZEN_STATUSES:
        return existing  # a signed convention never changes, not even by reloading the demo
    if existing is not None:
        existing.delete()
    collectivites = {item["name"]: load_collectivite(item) for item in data.get("collectivites", [])}
    for item in data.get("collectivites", []):
        if item.get("epci_siren"):
            commune = collectivites[item["name"]]
            commune.epci = Collectivite.objects.get(siren=str(item["epci_siren"]))
            commune.save(update_fields=["epci"])

    def collectivite(name):
        return collectivites.get(name) or Collectivite.objects.get(name=name)

    template = ConventionTemplate.objects.get(slug=data["model"])
    options = template.default_options() | (data.get("options") or {})
    caf = Caf.objects.get(code=str(data["caf"]))
    convention = Convention(
        reference=data["reference"],
        template=template,
        caf=caf,
        ca_deliberation_date=caf.ca_deliberation_date,
        title=data["title"],
        territory=data["territory"],
        is_example=data.get("is_example", False),
        start_date=data["start_date"],
        end_date=data["end_date"],
        signature_place=data.get("signature_place") or "",
        signature_date=data.get("signature_date"),
        options=options,
    )
    convention.full_clean(exclude=["reference"])
    convention = Convention.objects.create_from_template(
        template, **{field: getattr(convention, field) for field in _CONVENTION_FIELDS}
    )

    for sections, edits in ((convention.articles, data.get("articles")), (convention.annexes, data.get("annexes"))):
        for key, text in (edits or {}).items():
            section = sections.filter(key=key).first()
            if section is None:
                raise ValueError(f"{data['reference']}: no section {key!r} in model {template.slug}")
            section.text = text.strip("\n")
            section.save()  # through save(), so the history starts from the demo's own text

    for position, item in enumerate(data.get("signatories", []), start=1):
        if item.get("caf"):
            caf = Caf.objects.get(code=str(item["caf"]))
            signatory = Signatory.objects.create(
                convention=convention, position=position, caf=caf, alias=item.get("alias", "")
            )
            people = item.get("representatives") or [
                {field: getattr(person, field) for field in REPRESENTATIVE_FIELDS}
                for person in caf.representatives.all()
            ]
        else:
            signatory = Signatory.objects.create(
                convention=convention,
                position=position,
                collectivite=collectivite(item["collectivite"]),
                alias=item.get("alias", ""),
            )
            people = item.get("representatives") or []
        for rank, person in enumerate(people, start=1):
            SignatoryRepresentative.objects.create(
                signatory=signatory, position=rank, **_representative_fields(person)
            )

    for position, item in enumerate(data.get("figures") or [], start=1):
        KeyFigure.objects.create(convention=convention, position=position, **_decimals_from_text(item))
    diagnostic = data.get("diagnostic") or {}
    _create_rows(convention, DiagnosticSection, diagnostic.get("sections"))
    _create_rows(convention, DiagnosticFigure, diagnostic.get("figures"))
    _create_rows(
        convention,
        Equipment,
        [
            {**row, "collectivite": collectivite(row["collectivite"])} if row.get("collectivite") else row
            for row in data.get("equipments") or []
        ],
    )
    _create_rows(convention, SteeringBody, data.get("steering_bodies"))
    for item in data.get("deliberations") or []:
        item = dict(item)
        deliberation = Deliberation(convention=convention, collectivite=collectivite(item.pop("collectivite")), **item)
        deliberation.full_clean()
        deliberation.save()
    return convention


_CONVENTION_FIELDS = (
    "reference",
    "caf",
    "title",
    "territory",
    "is_example",
    "start_date",
    "end_date",
    "signature_place",
    "signature_date",
    "options",
)


def load_collectivite(data):
    data = dict(data)
    data.pop("epci_siren", None)
    for field in ("insee_code", "siren", "department_code"):
        if data.get(field) is not None:
            data[field] = str(data[field])
    if data.get("insee_code"):
        lookup = {"insee_code": data["insee_code"]}
    elif data.get("siren"):
        lookup = {"siren": data["siren"]}
    else:
        lookup = {"kind": data["kind"], "name": data["name"]}
    collectivite, _ = Collectivite.objects.update_or_create(**lookup, defaults=data)
    return collectivite


def _create_rows(convention, model, rows):
    for position, row in enumerate(rows or [], start=1):
        instance = model(convention=convention, position=position, **_decimals_from_text(row))
        instance.full_clean()
        instance.save()


def _decimals_from_text(row):
    """YAML reads 1428395.63 as a float; go through its text so the Decimal is exact."""
    return {key: Decimal(str(value)) if isinstance(value, float) else value for key, value in row.items()}


def _representative_fields(person):
    fields = {field: person[field] for field in REPRESENTATIVE_FIELDS if field in person}
    fields.setdefault("signature_title", person.get("function", ""))
    return fields


def load_all_cafs():
    return [load_caf(data) for data in read_yaml_files("cafs")]


def load_all_templates():
    return [load_template(data) for data in read_yaml_files("models")]

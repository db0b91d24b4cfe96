"""Import of fiches actions and équipements from CSV or XLSX, with django-import-export: a dry run
shows what will change, then the same file is applied, whole or not at all."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.text import capfirst
from import_export import fields, resources

from conventions.models import AnnexKind, Equipment
from conventions.resources import StructureTypeWidget
from conventions.wording import join_french
from plans.import_cells import ScopedForeignKeyWidget, SignatoryWidget, TextWidget, WholeNumberWidget, optional_text
from plans.models import ACTION_GRIDS, ActionSheet, Axis
from plans.uploads import FileRefused, cell_text, drop_blank_rows, read_dataset


class ConventionImportResource(resources.ModelResource):
    """Rows of one convention; the file's columns must be exactly known ones, the key columns
    present, and no two rows may describe the same record."""

    required_columns = ()

    def __init__(self, convention, file_lines=()):
        """`file_lines`: the file's line number of each row of the dataset (blank rows dropped)."""
        self.convention = convention
        self.file_lines = list(file_lines)
        super().__init__()

    def column_names(self):
        return [field.column_name for field in self.get_import_fields()]

    def column_of(self, attribute):
        """The column of the file that fills `attribute`; None for what no column fills."""
        for field in self.get_import_fields():
            if field.attribute == attribute:
                return field.column_name
        return None

    def match_columns(self, dataset):
        """The file's column names written as the import knows them: " Axe " and "action" are the
        columns « Axe » and « Action »; an unknown name is kept as written, to be reported."""
        known = {column.casefold(): column for column in self.column_names()}
        headers = [" ".join(str(header or "").split()) for header in dataset.headers]
        dataset.headers = [known.get(header.casefold(), header) for header in headers]

    def get_instance(self, instance_loader, row):
        """The record the row names by its key columns; several records with the same key are
        refused with the key's columns named, for the file cannot say which one it changes. A key
        cell the widgets refuse ("Axe" naming no axis) finds none: the row's import reports it
        under its column."""
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None
        except self._meta.model.MultipleObjectsReturned:
            columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
            values = " / ".join(cell_text(row.get(column)) for column in columns)
            model = self._meta.model._meta
            raise ValidationError(
                f"plusieurs {model.verbose_name_plural} de la convention ont les mêmes "
                f"{' et '.join(f'« {column} »' for column in columns)} ({values}), impossible de savoir quel "
                "élément modifier. Rendez-les distincts dans la convention, puis déposez le fichier à nouveau."
            ) from None

    def before_import(self, dataset, **kwargs):
        self.match_columns(dataset)
        headers = [str(header or "").strip() for header in dataset.headers or []]
        repeated = sorted({header for header in headers if headers.count(header) > 1})
        if repeated:
            raise FileRefused(f"Fichier refusé, colonnes en double : {', '.join(repeated) or '(sans nom)'}.")
        missing = [column for column in self.required_columns if column not in headers]
        unknown = [column for column in headers if column not in self.column_names()]
        problems = []
        if missing:
            problems.append(f"colonnes manquantes : {', '.join(missing)}")
        if unknown:
            problems.append(
                f"colonnes inconnues : {', '.join(unknown)} (attendues : {', '.join(self.column_names())})"
            )
        lines_of = defaultdict(list)
        for index, row in enumerate(dataset.dict):
            key = tuple(cell_text(row.get(column)) for column in self.required_columns)
            lines_of[key].append(self.file_lines[index] if self.file_lines else index + 2)
        duplicates = [
            f"{' / '.join(key)} (lignes {join_french([str(line) for line in lines])})"
            for key, lines in lines_of.items()
            if len(lines) > 1
        ]
        if duplicates:
            problems.append(f"lignes en double : {'; '.join(duplicates)}")
        if problems:
            raise FileRefused("Fichier refusé, " + " ; ".join(problems) + ".")


def place_without_an_order(action, kept):
    """An empty « Ordre » leaves an existing action at its place `kept`; a new one goes to the end
    of its axis."""
    if action.pk:
        action.position = kept
    elif action.axis_id:
        last = action.axis.actions.order_by("-position").values_list("position", flat=True).first()
        action.position = (last or 0) + 1


def action_sheet_resource_class(convention):
    """A resource with the columns of the convention's model grid: "Axe", "Action", "Ordre", then
    each field of the grid under its French name."""
    grid = ACTION_GRIDS[convention.template.action_grid]
    axes = Axis.objects.filter(convention=convention)
    attrs = {
        "axis": fields.Field(
            attribute="axis",
            column_name="Axe",
            widget=ScopedForeignKeyWidget(
                axes,
                "title",
                unknown="Axe inconnu : « {value} » (créez-le d'abord dans le plan).",
                ambiguous="plusieurs axes du plan s'intitulent « {value} » : renommez-en un dans le plan.",
                missing="Indiquez l'axe : l'intitulé exact d'un axe du plan d'actions.",
            ),
        ),
        "title": fields.Field(attribute="title", column_name="Action", widget=TextWidget()),
        "position": fields.Field(attribute="position", column_name="Ordre", widget=WholeNumberWidget()),
    }
    for name in grid:
        label = capfirst(ActionSheet._meta.get_field(name).verbose_name)
        attrs[name] = optional_text(name, label)

    class Meta:
        model = ActionSheet
        fields = ("axis", "title", "position", *grid)
        import_id_fields = ("axis", "title")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return ActionSheet.objects.filter(axis__convention=self.convention)

    def import_instance(self, instance, row, **kwargs):
        kept = instance.position  # an existing action's place; None for a new one
        try:
            ConventionImportResource.import_instance(self, instance, row, **kwargs)
        finally:  # also when a cell is refused: the row reports that cell, not a missing « Ordre »
            if not instance.position:
                place_without_an_order(instance, kept)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A fiche whose « Axe » is refused has no place in an axis either: only « Axe » is reported."""
        try:
            ConventionImportResource.validate_instance(self, instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.error_dict
            if "axis" in errors:
                errors.pop("position", None)
            raise ValidationError(errors) from None

    def before_save_instance(self, instance, row, **kwargs):
        """An action the file changes is a new version of it: whoever had it open must not save
        over the import unknowingly (Versioned)."""
        if instance.pk:
            instance.version += 1

    attrs.update(
        Meta=Meta,
        required_columns=("Axe", "Action"),
        get_queryset=get_queryset,
        import_instance=import_instance,
        validate_instance=validate_instance,
        before_save_instance=before_save_instance,
    )
    return type("ActionSheetImportResource", (ConventionImportResource,), attrs)


class EquipmentImportResource(ConventionImportResource):
    structure_type = fields.Field(attribute="structure_type", column_name="Type", widget=StructureTypeWidget())
    name = fields.Field(attribute="name", column_name="Nom", widget=TextWidget())
    address = optional_text("address", "Adresse")
    manager = optional_text("manager", "Gestionnaire")
    capacity = optional_text("capacity", "Capacité")
    collectivite = fields.Field(attribute="collectivite", column_name="Collectivité", saves_null_values=False)
    required_columns = ("Type", "Nom")

    class Meta:
        model = Equipment
        fields = ("structure_type", "name", "address", "manager", "capacity", "collectivite")
        import_id_fields = ("structure_type", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, convention, file_lines=()):
        super().__init__(convention, file_lines)
        self.fields["structure_type"].widget = StructureTypeWidget(convention.template.structure_type_choices)
        self.fields["collectivite"].widget = SignatoryWidget(convention)

    def get_queryset(self):
        return Equipment.objects.filter(convention=self.convention)

    def import_instance(self, instance, row, **kwargs):
        instance.convention = self.convention  # first: a refused cell must not also report a missing convention
        super().import_instance(instance, row, **kwargs)


@dataclass(frozen=True)
class Importer:
    label: str
    resource_for: object  # convention -> resource class
    annex_kind: str  # the annex that shows the imported rows
    names_an_axis: bool = False  # its "Axe" column holds an axis title of the plan
    names_a_structure_type: bool = False  # its "Type" column holds a type of the model's équipements annex
    names_a_signatory: bool = False  # its "Collectivité" column holds a collectivité that signs the convention

    def columns(self, convention):
        """(column, required) of the file this convention takes, in order."""
        resource = self.resource_for(convention)(convention)
        return [(column, column in resource.required_columns) for column in resource.column_names()]

    def state(self, convention):
        """A digest of the rows this import reads and writes in the convention: a preview is applied
        only to the rows it was made from, so what someone saved meanwhile is never overwritten."""
        rows = self.resource_for(convention)(convention).get_queryset().order_by("pk").values_list()
        return hashlib.sha256(repr(list(rows)).encode()).hexdigest()

    def listed_at(self, convention):
        """The page that lists the imported rows, where the import leads once applied: the plan
        d'actions for fiches actions, else the page of the annex showing them (the équipements)."""
        if self.annex_kind == AnnexKind.ACTION_PLAN:
            return reverse("plan", args=[convention.pk])
        annex = convention.annexes.filter(kind=self.annex_kind).order_by("position").first()
        return reverse("annex_edit", args=[convention.pk, annex.pk])

    def blank_file(self, convention):
        """An XLSX holding the columns' names only, to fill in and import."""
        return tablib.Dataset(headers=[column for column, _required in self.columns(convention)]).export("xlsx")


IMPORTERS = {
    "fiches-actions": Importer(
        "Fiches actions", action_sheet_resource_class, AnnexKind.ACTION_PLAN, names_an_axis=True
    ),
    "equipements": Importer(
        "Équipements",
        lambda convention: EquipmentImportResource,
        AnnexKind.EQUIPMENTS,
        names_a_structure_type=True,
        names_a_signatory=True,
    ),
}


def importers_for(convention):
    """The imports a convention takes, by slug: those whose rows one of its annexes shows (a model
    without an équipements annex takes no équipements)."""
    kinds = set(convention.annexes.values_list("kind", flat=True))
    return {slug: importer for slug, importer in IMPORTERS.items() if importer.annex_kind in kinds}


EFFECTS = {"new": "ajout", "update": "modification", "skip": "inchangée"}


@dataclass(frozen=True)
class ImportReport:
    """What an import did, or would do, as the person importing reads it. `problems` name the
    file's line and, when there is one, its column (« Adresse »); `rows` give each line's effect."""

    result: object  # django-import-export's Result
    problems: list
    rows: list  # (line, effect, diff cells)

    @property
    def totals(self):
        return self.result.totals

    @property
    def headers(self):
        return self.result.diff_headers


def report_of(result, resource, lines):
    """The report of `result`, whose row n is the file's line `lines[n - 1]`. A file refused as a
    whole (a column missing, unknown or twice) reports only why: its rows' errors follow from it
    (no « Axe » column, no axis on any row)."""
    problems = [str(error.error) for error in result.base_errors]
    if problems:
        return ImportReport(result, problems, [])
    for row in result.error_rows:
        problems += [f"Ligne {lines[row.number - 1]} : {error.error}" for error in row.errors]
    for row in result.invalid_rows:
        for attribute, messages in row.error_dict.items():
            column = None if attribute == NON_FIELD_ERRORS else resource.column_of(attribute)
            where = f"Ligne {lines[row.number - 1]}" + (f", colonne « {column} »" if column else "")
            problems += [f"{where} : {message}" for message in messages]
    if problems:  # nothing will be applied: no effect to show
        return ImportReport(result, problems, [])
    rows = [(line, EFFECTS[row.import_type], row.diff) for line, row in zip(lines, result.rows, strict=True)]
    return ImportReport(result, problems, rows)


def run_import(kind, convention, name, content, *, dry_run):
    """Import the file (or, with `dry_run`, only say what would change); nothing of a file with
    any error is applied. Blank rows are ignored; a file with no other row is refused."""
    resource_for = IMPORTERS[kind].resource_for
    dataset, file_lines = read_dataset(name, content)
    if not dataset.headers or not any(str(header or "").strip() for header in dataset.headers):
        raise FileRefused("La première ligne du fichier doit donner les noms des colonnes.")
    lines = drop_blank_rows(dataset, file_lines)
    if not lines:
        raise FileRefused(
            "Le fichier n'a aucune ligne à importer : sous la ligne des noms de colonnes, écrivez une ligne "
            "par élément à ajouter ou modifier."
        )
    resource = resource_for(convention)(convention, lines)
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)
    return report_of(result, resource, lines)

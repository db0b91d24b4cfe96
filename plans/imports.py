"""Import of fiches actions and équipements from CSV or XLSX, with django-import-export: a dry run
shows what will change, then the same file is applied, whole or not at all."""

from collections import Counter
from dataclasses import dataclass

import tablib
from import_export import fields, resources, widgets
from tablib.exceptions import InvalidDimensions

from conventions.models import AnnexKind, Equipment
from conventions.resources import StructureTypeWidget
from plans.models import ACTION_GRIDS, ActionSheet, Axis


class FileRefused(Exception):
    """The file as a whole cannot be read or has the wrong columns."""


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    def __init__(self, queryset, field, message):
        super().__init__(queryset.model, field=field)
        self.scoped, self.message = queryset, message

    def get_queryset(self, value, row, *args, **kwargs):
        return self.scoped

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.message.format(value=value)) from None


class TextWidget(widgets.Widget):
    """Text cells: an empty cell (None in a spreadsheet) is an empty text, not a missing value."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()


class WholeNumberWidget(widgets.Widget):
    """A whole number from 1 to `maximum` (by default the largest position the database holds)."""

    def __init__(self, column, maximum=32767):
        super().__init__()
        self.column = column
        self.maximum = maximum

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            raise ValueError(f"{self.column} : un nombre entier est attendu, pas « {value} ».") from None
        if number != int(number) or number < 1:
            raise ValueError(f"{self.column} : un nombre entier positif est attendu, pas « {value} ».")
        if number > self.maximum:
            raise ValueError(f"{self.column} : {self.maximum} au plus, pas « {value} ».")
        return int(number)


class ConventionImportResource(resources.ModelResource):
    """Rows of one convention; the file's columns must be exactly known ones, the key columns
    present, and no two rows may describe the same record."""

    required_columns = ()

    def __init__(self, convention):
        self.convention = convention
        super().__init__()

    def column_names(self):
        return [field.column_name for field in self.get_import_fields()]

    def before_import(self, dataset, **kwargs):
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
        keys = Counter(
            tuple(str(row.get(column, "")).strip() for column in self.required_columns) for row in dataset.dict
        )
        duplicates = [" / ".join(key) for key, count in keys.items() if count > 1]
        if duplicates:
            problems.append(f"lignes en double : {'; '.join(duplicates)}")
        if problems:
            raise FileRefused("Fichier refusé, " + " ; ".join(problems) + ".")


def action_sheet_resource_class(convention):
    """A resource with the columns of the convention's model grid: "Axe", "Action", "Ordre", then
    each field of the grid under its French name."""
    grid = ACTION_GRIDS[convention.template.action_grid]
    axes = Axis.objects.filter(convention=convention)
    attrs = {
        "axis": fields.Field(
            attribute="axis",
            column_name="Axe",
            widget=ScopedForeignKeyWidget(axes, "title", "Axe inconnu : « {value} » (créez-le d'abord dans le plan)."),
        ),
        "title": fields.Field(attribute="title", column_name="Action", widget=TextWidget()),
        "position": fields.Field(attribute="position", column_name="Ordre", widget=WholeNumberWidget("Ordre")),
    }
    for name in grid:
        label = str(ActionSheet._meta.get_field(name).verbose_name).capitalize()
        attrs[name] = fields.Field(attribute=name, column_name=label, widget=TextWidget())

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
        ConventionImportResource.import_instance(self, instance, row, **kwargs)
        if instance.position:
            return
        if instance.pk:  # an empty "Ordre" leaves an existing action where it is
            instance.position = kept
        elif instance.axis_id:  # a new action goes to the end of its axis
            last = instance.axis.actions.order_by("-position").values_list("position", flat=True).first()
            instance.position = (last or 0) + 1

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
        before_save_instance=before_save_instance,
    )
    return type("ActionSheetImportResource", (ConventionImportResource,), attrs)


class EquipmentImportResource(ConventionImportResource):
    structure_type = fields.Field(attribute="structure_type", column_name="Type", widget=StructureTypeWidget())
    name = fields.Field(attribute="name", column_name="Nom", widget=TextWidget())
    address = fields.Field(attribute="address", column_name="Adresse", widget=TextWidget())
    manager = fields.Field(attribute="manager", column_name="Gestionnaire", widget=TextWidget())
    capacity = fields.Field(attribute="capacity", column_name="Capacité", widget=TextWidget())
    required_columns = ("Type", "Nom")

    class Meta:
        model = Equipment
        fields = ("structure_type", "name", "address", "manager", "capacity")
        import_id_fields = ("structure_type", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, convention):
        super().__init__(convention)
        self.fields["structure_type"].widget = StructureTypeWidget(convention.template.structure_type_choices)

    def get_queryset(self):
        return Equipment.objects.filter(convention=self.convention)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.convention = self.convention


@dataclass(frozen=True)
class Importer:
    label: str
    resource_for: object  # convention -> resource class
    annex_kind: str  # the annex that shows the imported rows
    names_an_axis: bool = False  # its "Axe" column holds an axis title of the plan

    def columns(self, convention):
        """(column, required) of the file this convention takes, in order."""
        resource = self.resource_for(convention)(convention)
        return [(column, column in resource.required_columns) for column in resource.column_names()]

    def blank_file(self, convention):
        """An XLSX holding the columns' names only, to fill in and import."""
        return tablib.Dataset(headers=[column for column, _required in self.columns(convention)]).export("xlsx")


IMPORTERS = {
    "fiches-actions": Importer(
        "Fiches actions", action_sheet_resource_class, AnnexKind.ACTION_PLAN, names_an_axis=True
    ),
    "equipements": Importer("Équipements", lambda convention: EquipmentImportResource, AnnexKind.EQUIPMENTS),
}


def importers_for(convention):
    """The imports a convention takes, by slug: those whose rows one of its annexes shows (a model
    without an équipements annex takes no équipements)."""
    kinds = set(convention.annexes.values_list("kind", flat=True))
    return {slug: importer for slug, importer in IMPORTERS.items() if importer.annex_kind in kinds}


def read_dataset(name, content):
    """A CSV (UTF-8, with or without BOM; comma or semicolon) or XLSX upload as a dataset."""
    if name.lower().endswith(".xlsx"):
        try:
            return tablib.Dataset().load(content, format="xlsx")
        except Exception:
            raise FileRefused("Fichier XLSX illisible.") from None
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused("Le fichier CSV doit être encodé en UTF-8.") from None
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        try:
            return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        except InvalidDimensions:
            raise FileRefused(
                "Toutes les lignes du fichier doivent avoir autant de colonnes que la première."
            ) from None
        except Exception:
            raise FileRefused("Fichier CSV illisible.") from None
    raise FileRefused("Déposez un fichier .csv ou .xlsx.")


def run_import(kind, convention, name, content, *, dry_run):
    """Import the file (or, with `dry_run`, only say what would change); nothing of a file with
    any error is applied."""
    resource_for = IMPORTERS[kind].resource_for
    dataset = read_dataset(name, content)
    if not dataset.headers or not any(str(header or "").strip() for header in dataset.headers):
        raise FileRefused("La première ligne du fichier doit donner les noms des colonnes.")
    resource = resource_for(convention)(convention)
    return resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)

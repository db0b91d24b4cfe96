"""django-import-export resources of the plans app: fiches actions (admin), the tableau de suivi
partagé (export)."""

from decimal import Decimal

import tablib
from django.utils import timezone
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from conventions.models import ActionGrid
from conventions.resources import FrenchColumnsMixin
from plans.models import ACTION_GRIDS, ActionSheet, Axis, FollowUp
from plans.spreadsheets import escape_formula, unescape_formula


class ActionSheetResource(FrenchColumnsMixin, resources.ModelResource):
    column_names = {"id": "Identifiant", "axis__convention__reference": "Convention", "axis__title": "Axe"}

    class Meta:
        model = ActionSheet
        fields = (
            "id",
            "axis__convention__reference",
            "axis__title",
            "position",
            "title",
            *ACTION_GRIDS[ActionGrid.CTG_WITH_AO],
        )
        clean_model_instances = True
        # A file exported whole and edited in one place imports back: the rows left as they were
        # are not saved again (a signed convention's fiches refuse any save).
        skip_unchanged = True
        report_skipped = True

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        """The cells the export escaped (a text beginning with "-", "=" …) are read back unescaped."""
        for column, value in row.items():
            row[column] = unescape_formula(value)


class FollowUpTableResource(resources.Resource):
    """The "tableau de suivi partagé" (2025 model, art. 9): one row per action with its latest
    quarterly update."""

    axis = fields.Field(column_name="Axe")
    action = fields.Field(column_name="Action")
    status = fields.Field(column_name="État")
    progress = fields.Field(column_name="Avancement (%)")
    indicators = fields.Field(column_name="Indicateurs d'évaluation")
    indicator_value = fields.Field(column_name="Valeur de l'indicateur")
    indicator_target = fields.Field(column_name="Cible")
    comment = fields.Field(column_name="Commentaire")
    updated = fields.Field(column_name="Dernière mise à jour")
    author = fields.Field(column_name="Signé par")

    def __init__(self, convention):
        super().__init__()
        self.convention = convention
        self.latest = (
            FollowUp.objects.filter(action__axis__convention=convention).select_related("author").latest_per_action()
        )
        self.axis_numbers = Axis.objects.filter(convention=convention).numbers()

    def get_queryset(self):
        return (
            ActionSheet.objects.filter(axis__convention=self.convention)
            .select_related("axis")
            .order_by("axis__position", "position")
        )

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def _latest(self, action):
        return self.latest.get(action.pk)

    def dehydrate_axis(self, action):
        return f"{self.axis_numbers[action.axis_id]}. {action.axis.title}"

    def dehydrate_action(self, action):
        return action.title

    def dehydrate_status(self, action):
        latest = self._latest(action)
        return latest.get_status_display() if latest else "Pas encore suivie"

    def dehydrate_progress(self, action):
        latest = self._latest(action)
        return latest.progress if latest else ""

    def dehydrate_indicators(self, action):
        return action.indicators or action.evaluation

    def dehydrate_indicator_value(self, action):
        latest = self._latest(action)
        return latest.indicator_value if latest and latest.indicator_value is not None else ""

    def dehydrate_indicator_target(self, action):
        latest = self._latest(action)
        return latest.indicator_target if latest and latest.indicator_target is not None else ""

    def dehydrate_comment(self, action):
        latest = self._latest(action)
        return latest.comment if latest else ""

    def dehydrate_updated(self, action):
        latest = self._latest(action)
        return f"{latest.quarter_label} ({timezone.localtime(latest.created_at):%d/%m/%Y})" if latest else ""

    def dehydrate_author(self, action):
        latest = self._latest(action)
        return (latest.author.get_full_name() or latest.author.username) if latest else ""


class FrenchCSV(CSV):
    """A CSV that a French spreadsheet opens in columns: semicolons between cells (the comma is the
    decimal mark), and a byte order mark so that Excel reads the accents."""

    def export_data(self, dataset, **kwargs):
        french = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            french.append([with_decimal_comma(value) for value in row])
        return super().export_data(french, delimiter=";", **kwargs).encode("utf-8-sig")


def with_decimal_comma(value):
    """12.05 is a date or a text to a French spreadsheet; 12,05 is a number."""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return value


EXPORT_FORMATS = {"xlsx": XLSX, "csv": FrenchCSV}


def export_follow_up_table(convention, extension):
    """The tableau de suivi partagé as file content (bytes), in the format named by `extension`."""
    dataset = FollowUpTableResource(convention).export()
    dataset.title = "Suivi"  # the sheet's name (tablib's default: "Tablib Dataset")
    return EXPORT_FORMATS[extension]().export_data(dataset)

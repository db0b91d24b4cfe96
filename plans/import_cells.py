"""How an import reads a cell: as people write it, refused with a message in French that the import
report places at the cell's line and column."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from import_export import fields, widgets

from conventions.searching import normalize_for_search
from conventions.wording import join_french
from plans.uploads import cell_text


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A record of `queryset` named by its `field`; `unknown` and `ambiguous` say, in French, that
    none or several have that name (with `{value}` for the cell)."""

    def __init__(self, queryset, field, unknown, ambiguous, missing):
        super().__init__(queryset.model, field=field)
        self.scoped, self.unknown, self.ambiguous, self.missing = queryset, unknown, ambiguous, missing

    def get_queryset(self, value, row, *args, **kwargs):
        return self.scoped

    def clean(self, value, row=None, **kwargs):
        if not cell_text(value):
            raise ValueError(self.missing)
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.unknown.format(value=value)) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(self.ambiguous.format(value=value)) from None


class TextWidget(widgets.Widget):
    """Text cells, read as `cell_text` shows them; a NUL character (which no database text holds)
    is refused as the forms refuse it."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        try:
            ProhibitNullCharactersValidator()(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return text


class KeptWhenEmptyWidget(TextWidget):
    """An optional text cell: an empty one gives nothing, so that its field keeps what is saved."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None


def optional_text(attribute, column_name):
    """A column that may be left empty: an empty cell leaves the saved text as it is, for a file
    filled only where something changes must not erase the rest (nothing lost). A text is erased
    in the application, where one sees what goes."""
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=KeptWhenEmptyWidget(), saves_null_values=False
    )


class SignatoryWidget(widgets.Widget):
    """A collectivité that signs the convention, named as people write it: its name whatever the
    case, accents and hyphens (« bormes les mimosas »), its INSEE code (a spreadsheet may have
    dropped its leading zero: 1053 for 01053) or its SIREN. An empty cell gives nothing, so that
    the row keeps the collectivité it has."""

    def __init__(self, convention):
        super().__init__()
        self.signatories = list(convention.collectivites())

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        found = [collectivite for collectivite in self.signatories if self.names(text, collectivite)]
        if len(found) == 1:
            return found[0]
        if found:
            codes = join_french(
                [collectivite.insee_code or collectivite.siren or "sans code" for collectivite in found]
            )
            raise ValueError(
                f"plusieurs collectivités signataires s'appellent « {text} » (codes {codes}) : écrivez plutôt le "
                "code de celle que vous désignez."
            )
        if not self.signatories:
            raise ValueError(
                f"« {text} » ne signe pas cette convention, qui n'a encore aucune collectivité signataire."
            )
        names = join_french([f"« {collectivite.name} »" for collectivite in self.signatories])
        raise ValueError(
            f"« {text} » ne signe pas cette convention. Écrivez le nom ou le code INSEE d'une collectivité "
            f"signataire : {names}."
        )

    @staticmethod
    def names(text, collectivite):
        """Whether the cell's `text` names `collectivite`."""
        code = text.upper()
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)
        return (
            normalize_for_search(text) == normalize_for_search(collectivite.name)
            or code == collectivite.insee_code
            or text == collectivite.siren
        )

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class WholeNumberWidget(widgets.Widget):
    """A whole number from 1 to `maximum` (by default the largest position the database holds)."""

    def __init__(self, maximum=32767):
        super().__init__()
        self.maximum = maximum

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():  # "deux", "nan", "inf"
            raise ValueError(f"un nombre entier est attendu, pas « {cell_text(value)} ».")
        if number != number.to_integral_value() or number < 1:
            raise ValueError(f"un nombre entier positif est attendu, pas « {cell_text(value)} ».")
        if number > self.maximum:
            raise ValueError(f"{self.maximum} au plus, pas « {cell_text(value)} ».")
        return int(number)

"""django-import-export resources: CSV/XLSX in and out for communes and équipements."""

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from import_export import fields, resources, widgets
from import_export.widgets import ForeignKeyWidget

from conventions.models import Collectivite, CollectiviteKind, Equipment, StructureType


class FrenchColumnsMixin:
    """Files of the admin's import and export headed in French: each column by its field's French
    name (its verbose_name), or by `column_names` (the id, a field reached through a relation)."""

    column_names = {"id": "Identifiant"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, field in self.fields.items():
            if name in self.column_names:
                field.column_name = self.column_names[name]
            elif "__" not in name:
                field.column_name = capfirst(self._meta.model._meta.get_field(name).verbose_name)


class EpciBySirenWidget(ForeignKeyWidget):
    def __init__(self):
        super().__init__(Collectivite, field="siren")

    def get_queryset(self, value, row, *args, **kwargs):
        return Collectivite.objects.epcis()

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Collectivite.DoesNotExist:
            raise ValueError(f"EPCI inconnu : aucun EPCI de SIREN {value}.") from None


class CommuneResource(resources.ModelResource):
    """Communes with the columns of INSEE's official geographic code: COM (code), LIBELLE (name),
    PMUN (population municipale), EPCI (SIREN of the EPCI)."""

    insee_code = fields.Field(attribute="insee_code", column_name="COM")
    name = fields.Field(attribute="name", column_name="LIBELLE")
    population = fields.Field(attribute="population", column_name="PMUN", widget=widgets.IntegerWidget())
    epci = fields.Field(attribute="epci", column_name="EPCI", widget=EpciBySirenWidget())

    class Meta:
        model = Collectivite
        fields = ("insee_code", "name", "population", "epci")
        import_id_fields = ("insee_code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Collectivite.objects.communes().select_related("epci")

    def before_import_row(self, row, **kwargs):
        population = row.get("PMUN")
        if population not in (None, ""):
            try:
                negative = int(str(population).replace(" ", "")) < 0
            except ValueError:
                raise ValidationError({"population": f"Population illisible : {population!r}."}) from None
            if negative:
                raise ValidationError({"population": "La population ne peut pas être négative."})

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.kind = CollectiviteKind.COMMUNE


def abbreviation(label):
    """ "MAM" for "Maison d'assistants maternels (MAM)"; "" when the label ends with none."""
    if label.endswith(")") and "(" in label:
        return label[label.rindex("(") + 1 : -1]
    return ""


class StructureTypeWidget(widgets.Widget):
    """A structure type as people write it in a spreadsheet: its label ("Ludothèque"), the
    abbreviation its label ends with ("MAM", "EAJE", "LAEP") or its code ("eaje_psu"), in any case.
    With the types of the convention's model (`allowed`), a type the model lists under another
    name is read as the model's: "EAJE" is the 2025 model's "EAJE PSU"."""

    def __init__(self, allowed=(), **kwargs):
        super().__init__(**kwargs)
        self.allowed = [code for code, _label in allowed]

    def clean(self, value, row=None, **kwargs):
        written = " ".join(str(value or "").split())
        if not written:
            raise ValueError("Indiquez le type de la structure.")
        for code, label in StructureType.choices:
            if written.lower() in {code, label.lower(), abbreviation(label).lower()} - {""}:
                return self.as_the_models(code)
        named, abbreviated = self.examples()
        raise ValueError(
            f"Type de structure inconnu : « {written} ». Écrivez un type de l'annexe équipements de la "
            f"convention, tel qu'il y figure (« {named} »), par son sigle (« {abbreviated} ») ou par son code."
        )

    def examples(self):
        """A type's label and another's abbreviation to show, taken from the model's types when known."""
        labels = [StructureType(code).label for code in self.allowed] or StructureType.labels
        named = next((label for label in labels if not abbreviation(label)), labels[0])
        abbreviated = next((abbreviation(label) for label in labels if abbreviation(label)), "LAEP")
        return named, abbreviated

    def as_the_models(self, code):
        """`code`, or the one type of the model whose label starts with the same words."""
        if not self.allowed or code in self.allowed:
            return code
        stem = label_stem(StructureType(code).label)
        same = [allowed for allowed in self.allowed if label_stem(StructureType(allowed).label) == stem]
        return same[0] if len(same) == 1 else code

    def render(self, value, obj=None, **kwargs):
        return StructureType(value).label if value else ""


def label_stem(label):
    """ "Établissement d'accueil du jeune enfant" for "Établissement d'accueil du jeune enfant (PSU)"."""
    return label.split(" (")[0]


class EquipmentResource(FrenchColumnsMixin, resources.ModelResource):
    structure_type = fields.Field(attribute="structure_type", widget=StructureTypeWidget())
    column_names = {"id": "Identifiant", "convention__reference": "Convention"}

    class Meta:
        model = Equipment
        fields = (
            "id",
            "convention__reference",
            "position",
            "structure_type",
            "name",
            "address",
            "manager",
            "capacity",
        )
        clean_model_instances = True
        # A file exported whole and edited in one place imports back: the rows left as they were
        # are not saved again (a signed convention's équipements refuse any save).
        skip_unchanged = True
        report_skipped = True

from django import forms
from django.core.files.uploadedfile import UploadedFile

from conventions.actes import parse_actes_identifier
from conventions.models import Deliberation, DiagnosticFigure, DiagnosticSection, Equipment, SteeringBody

from .convention import DATE_WIDGET
from .uploads import check_pdf_upload, open_pdf

PAGES_READ_FOR_ACTES = 3


def pdf_text(reader):
    """The text of the first pages, where the prefecture's stamp sits."""
    try:
        return " ".join(page.extract_text() or "" for page in reader.pages[:PAGES_READ_FOR_ACTES])
    except Exception:  # a page pypdf cannot read simply yields no identifier
        return ""


class ConventionRowForm(forms.ModelForm):
    """A row of an annex table; knows its convention so it can offer that convention's choices."""

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        if self.instance.convention_id is None:  # its rules may read the convention (its dates)
            self.instance.convention = convention


class EquipmentForm(ConventionRowForm):
    class Meta:
        model = Equipment
        fields = ["collectivite", "structure_type", "name", "address", "manager", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = self.convention.template.structure_type_choices
        if choices:
            self.fields["structure_type"].choices = choices
        self.fields["collectivite"].queryset = self.convention.collectivites()
        self.fields["collectivite"].empty_label = "Toutes (non précisée)"


class SteeringBodyForm(ConventionRowForm):
    class Meta:
        model = SteeringBody
        fields = ["dispositif", "name", "missions", "composition", "periodicity"]
        widgets = {"missions": forms.Textarea(attrs={"rows": 2}), "composition": forms.Textarea(attrs={"rows": 2})}


class DiagnosticSectionForm(ConventionRowForm):
    class Meta:
        model = DiagnosticSection
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class DiagnosticFigureForm(ConventionRowForm):
    class Meta:
        model = DiagnosticFigure
        fields = ["label", "zone", "zone_allocataires", "value", "unit"]


class DeliberationForm(ConventionRowForm):
    class Meta:
        model = Deliberation
        fields = [
            "collectivite",
            "number",
            "date",
            "votes_for",
            "votes_against",
            "abstentions",
            "actes_identifier",
            "file",
        ]
        widgets = {"date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collectivite"].queryset = self.convention.collectivites()
        self.fields["file"].help_text = "PDF non chiffré, 20 Mo au plus."

    def clean_file(self):
        """A délibération is a readable, unencrypted PDF of at most 20 MB. The file kept by a row
        changed without a new one was checked when it was sent."""
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        check_pdf_upload(
            upload,
            too_large="Le fichier dépasse 20 Mo : réduisez-le (numérisation en 200 dpi, noir et blanc).",
            not_a_pdf="Ce fichier n'est pas un PDF : exportez ou numérisez la délibération en PDF.",
        )
        reader = open_pdf(upload)
        self.found_actes = parse_actes_identifier(upload.name) or parse_actes_identifier(pdf_text(reader))
        upload.seek(0)
        return upload

    def clean(self):
        """When the PDF carries an ACTES identifier (stamp of the prefecture or file name), what was
        typed must agree with it."""
        cleaned = super().clean()
        found = getattr(self, "found_actes", None)
        if found is None:
            return cleaned
        typed = Deliberation(
            date=cleaned.get("date"), number=cleaned.get("number") or "", collectivite=cleaned.get("collectivite")
        )
        mismatches = typed.differences_with(found)
        if mismatches:
            raise forms.ValidationError(
                "Le PDF porte l'identifiant ACTES d'un autre acte : " + " ; ".join(mismatches) + "."
            )
        if not cleaned.get("actes_identifier"):
            cleaned["actes_identifier"] = self.instance.actes_identifier = (
                f"{found.department}-{found.siren}-{found.date:%Y%m%d}-{found.number}-{found.nature}"
            )
        return cleaned

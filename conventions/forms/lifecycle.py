"""The forms of the lifecycle: the signature dates (of a convention, of an avenant), the termination,
the check of a signed PDF, the original signed elsewhere, and the filters of the signed conventions'
export."""

from django import forms

from conventions.lifecycle import termination_date_errors
from conventions.models import FROZEN_STATUSES, ConventionStatus, TerminationGround
from conventions.models.convention import FIRST_YEAR, LAST_YEAR

from .convention import DATE_WIDGET
from .uploads import check_pdf_upload, open_pdf


class SignatureForm(forms.Form):
    """One date of signature per party."""

    def __init__(self, *args, signatories, **kwargs):
        super().__init__(*args, **kwargs)
        self.signatories = signatories
        for signatory in signatories:
            self.fields[f"signatory_{signatory.pk}"] = forms.DateField(
                label=f"Date de signature : {signatory.designation}", widget=DATE_WIDGET
            )

    def dates(self):
        return {signatory: self.cleaned_data[f"signatory_{signatory.pk}"] for signatory in self.signatories}


class VerifyForm(forms.Form):
    file = forms.FileField(label="PDF à vérifier")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf_upload(
            upload, not_a_pdf="Ce fichier n'est pas un PDF : aucun document signé ne peut lui correspondre."
        )
        return upload


class ExternalOriginalForm(forms.Form):
    file = forms.FileField(
        label="Original signé (PDF : scan de l'exemplaire papier ou fichier de la plateforme de signature)",
        error_messages={"required": "Choisissez le PDF de l'original signé."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf_upload(upload)
        open_pdf(upload)
        return upload


class TerminationForm(forms.Form):
    effective_on = forms.DateField(label="Date d'effet de la résiliation", widget=DATE_WIDGET)
    ground = forms.ChoiceField(label="Motif", choices=TerminationGround.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label="Précisions (courrier, mise en demeure, décision…)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean_effective_on(self):
        effective_on = self.cleaned_data["effective_on"]
        if errors := termination_date_errors(self.convention, effective_on):
            raise forms.ValidationError(errors)
        return effective_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ground") == TerminationGround.OTHER and not cleaned.get("details", "").strip():
            self.add_error("details", "Précisez le motif de la résiliation.")
        return cleaned


class SignatureDateForm(forms.Form):
    date = forms.DateField(label="Date de signature de l'avenant", widget=DATE_WIDGET)


FROZEN_STATUS_CHOICES = [(status, ConventionStatus(status).label) for status in FROZEN_STATUSES]
YEAR_ERROR = f"Année invalide : indiquez une année entre {FIRST_YEAR} et {LAST_YEAR}."


class SignedExportForm(forms.Form):
    """The export's filters. A filter that does not validate says why on its field and filters
    nothing."""

    annee = forms.IntegerField(
        label="Année de signature",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous"), *FROZEN_STATUS_CHOICES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data):
        super().__init__(data, auto_id="%s")

    def filters(self):
        """The year and the status to filter on, None for each one left empty or invalid."""
        self.is_valid()
        return self.cleaned_data.get("annee"), self.cleaned_data.get("statut") or None

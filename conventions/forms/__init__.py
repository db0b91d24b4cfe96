from .annexes import DeliberationForm, DiagnosticFigureForm, DiagnosticSectionForm, EquipmentForm, SteeringBodyForm
from .avenants import AvenantRepresentativeFormSet, ChangeForm, ProlongationForm
from .convention import ConventionCreateForm, ConventionInfoForm, OptionsForm
from .sections import AnnexTextForm, ArticleForm
from .signatories import RepresentativeFormSet, SignatoryForm

__all__ = [
    "AnnexTextForm",
    "AvenantRepresentativeFormSet",
    "ArticleForm",
    "ChangeForm",
    "ConventionCreateForm",
    "ConventionInfoForm",
    "DeliberationForm",
    "DiagnosticFigureForm",
    "DiagnosticSectionForm",
    "EquipmentForm",
    "OptionsForm",
    "ProlongationForm",
    "RepresentativeFormSet",
    "SignatoryForm",
    "SteeringBodyForm",
]

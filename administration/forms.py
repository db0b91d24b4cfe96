from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.text import capfirst

from conventions.forms.convention import DATE_WIDGET
from conventions.forms.signatories import BaseRepresentativeFormSet
from conventions.models import Caf, CafRepresentative, Collectivite, Role, TemplateOption, User
from conventions.models.user import CAF_ROLES

ACCOUNT_FIELDS = ("first_name", "last_name", "email", "role", "collectivite")


class CafAccountMixin:
    """What the creation and the edition of an account share: the role decides where the account
    belongs, the administrator's Caf for its staff, a collectivité signing one of its conventions
    for a chargé(e) de coopération."""

    def limit_to_caf(self, caf):
        self.caf = caf
        role = self.fields["role"]
        role.required = True
        role.choices = Role.choices
        collectivite = self.fields["collectivite"]
        collectivite.queryset = Collectivite.objects.signing_with(caf).order_by("name")
        collectivite.help_text = (
            "Pour un chargé de coopération : sa collectivité, signataire d'une convention de la Caf. "
            "Il lit les conventions qu'elle signe et en remplit le plan d'actions."
        )
        collectivite.label_from_instance = lambda collectivite: capfirst(collectivite.designation)

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role in CAF_ROLES:
            self.instance.caf = self.caf
            cleaned_data["collectivite"] = None
        elif role == Role.COMMUNE:
            self.instance.caf = None
            if not cleaned_data.get("collectivite") and "collectivite" not in self.errors:
                self.add_error("collectivite", "Choisissez la collectivité de ce chargé de coopération.")
        return cleaned_data


class AccountCreateForm(CafAccountMixin, UserCreationForm):
    """A new account, with the first password its holder will change (« Mot de passe »)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", *ACCOUNT_FIELDS)

    def __init__(self, *args, caf, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to_caf(caf)
        self.fields["username"].help_text = "Ce que la personne tape pour se connecter : « prenom.nom »."
        self.fields["password1"].label = "Mot de passe provisoire"
        self.fields[
            "password1"
        ].help_text = (
            "Au moins 12 caractères. Communiquez-le à la personne : elle le changera depuis « Mot de passe »."
        )


class AccountEditForm(CafAccountMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = (*ACCOUNT_FIELDS, "is_active")
        labels = {"is_active": "Compte actif"}
        help_texts = {
            "is_active": "Un compte désactivé ne se connecte plus ; ce que la personne a écrit reste, "
            "avec son nom dans l'historique."
        }

    def __init__(self, *args, caf, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to_caf(caf)
        if self.instance == editor:
            self.keep_own_rights()

    def keep_own_rights(self):
        """An administrator neither demotes nor deactivates themselves: the Caf always keeps an
        administrator, and another one of the Caf makes that change if it must be made."""
        for name in ("role", "collectivite", "is_active"):
            self.fields[name].disabled = True
        self.fields[
            "role"
        ].help_text = "Vous ne changez pas vos propres droits : un autre administrateur de la Caf le peut."


class CafForm(forms.ModelForm):
    class Meta:
        model = Caf
        fields = ("signature_place", "ca_deliberation_date")
        widgets = {"ca_deliberation_date": DATE_WIDGET}
        help_texts = {
            "signature_place": "Proposé à chaque nouvelle convention (« Fait à … »).",
            "ca_deliberation_date": "Citée par les modèles qui visent la stratégie CTG de la Caf.",
        }


class BaseCafRepresentativeFormSet(BaseRepresentativeFormSet):
    default_error_messages = {
        **BaseRepresentativeFormSet.default_error_messages,
        "too_few_forms": "La Caf a au moins un représentant : la personne qui signe pour elle.",
    }


CafRepresentativeFormSet = forms.inlineformset_factory(
    Caf,
    CafRepresentative,
    fields=["civility", "first_name", "last_name", "function", "signature_title", "acting"],
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
    formset=BaseCafRepresentativeFormSet,
)


class TemplateOptionForm(forms.ModelForm):
    """An option of one of the Caf's models: its label, its guidance, and the value new conventions
    start with. A convention already created keeps its own choice."""

    class Meta:
        model = TemplateOption
        fields = ("label", "guidance")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        option = self.instance
        if option.is_boolean:
            default = forms.BooleanField(label="Cochée dans les nouvelles conventions", required=False)
        else:
            default = forms.ChoiceField(
                label="Choix des nouvelles conventions",
                choices=[(choice["value"], choice["label"]) for choice in option.choices],
                widget=forms.RadioSelect,
            )
        default.initial = option.default
        default.help_text = "Les conventions déjà créées gardent leur choix."
        if option.follows_signatory_kind:
            default.disabled = True
            default.help_text = (
                f"Suit les signataires : cochée quand une collectivité de type "
                f"« {option.get_follows_signatory_kind_display()} » signe la convention."
            )
        self.fields["default"] = default

    def save(self, commit=True):
        if not self.fields["default"].disabled:
            self.instance.default = self.cleaned_data["default"]
        return super().save(commit)

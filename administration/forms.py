from django import forms
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.db.models import Q
from django.utils.text import capfirst

from conventions.forms.convention import DATE_WIDGET
from conventions.forms.signatories import BaseRepresentativeFormSet, representative_formset
from conventions.models import Caf, CafRepresentative, Collectivite, Role, TemplateOption, User
from conventions.models.user import CAF_ROLES

ACCOUNT_FIELDS = ("first_name", "last_name", "email", "role", "collectivite")
PASSWORD_RULES = (
    "Au moins 12 caractères, ni trop courant, ni entièrement en chiffres, ni trop proche du nom de la personne."
)


class CafAccountMixin:
    """What the creation and the edition of an account share: the role decides where the account
    belongs, the administrator's Caf for its staff, a collectivité signing one of its conventions
    for a chargé(e) de coopération."""

    def limit_to_caf(self, caf):
        self.caf = caf
        role = self.fields["role"]
        role.required = True
        role.choices = [("", "Choisissez un rôle"), *Role.choices]
        role.error_messages["required"] = "Choisissez un rôle : il décide de ce que la personne peut faire."
        collectivite = self.fields["collectivite"]
        # The account's own collectivité stays offered when it no longer signs: its account is still edited.
        signing = Collectivite.objects.signing_with(caf).values("pk")
        collectivite.queryset = Collectivite.objects.filter(
            Q(pk__in=signing) | Q(pk=self.instance.collectivite_id)
        ).order_by("name")
        collectivite.help_text = (
            "Pour un chargé de coopération : sa collectivité, signataire d'une convention de la Caf. "
            "Il lit les conventions qu'elle signe et en remplit le plan d'actions."
        )
        collectivite.label_from_instance = lambda collectivite: capfirst(collectivite.designation)
        if not collectivite.queryset.exists():
            collectivite.help_text = (
                "Aucune collectivité ne signe encore de convention de la Caf : ajoutez-la d'abord aux "
                "signataires d'une convention (rubrique Signataires), puis revenez créer son compte."
            )

    def clean(self):
        """The account is the Caf's, whatever the role: a chargé de coopération's too, so the Caf
        still manages it if the collectivité no longer signs. The model requires the collectivité
        of a chargé de coopération."""
        cleaned_data = super().clean()
        self.instance.caf = self.caf
        if cleaned_data.get("role") in CAF_ROLES:
            cleaned_data["collectivite"] = None
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
        password = self.fields["password1"]
        password.label = "Mot de passe provisoire"
        password.help_text = f"{PASSWORD_RULES} Communiquez-le-lui : la personne le changera depuis « Mot de passe »."


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
        role = self.fields["role"]
        role.help_text = "Vous ne changez pas vos propres droits : un autre administrateur de la Caf le peut."


class AccountPasswordForm(SetPasswordForm):
    """A new password the administrator gives someone who lost theirs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_RULES


class CafForm(forms.ModelForm):
    class Meta:
        model = Caf
        fields = ("signature_place", "ca_deliberation_date")
        widgets = {"ca_deliberation_date": DATE_WIDGET}
        help_texts = {
            "signature_place": "Proposé à chaque nouvelle convention (« Fait à … »).",
            "ca_deliberation_date": "Citée dans les visas des nouvelles conventions ; une convention déjà créée "
            "garde la sienne (rubrique Informations).",
        }


class BaseCafRepresentativeFormSet(BaseRepresentativeFormSet):
    default_error_messages = {
        **BaseRepresentativeFormSet.default_error_messages,
        "too_few_forms": "La Caf a au moins un représentant : la personne qui signe pour elle.",
    }


CafRepresentativeFormSet = representative_formset(Caf, CafRepresentative, formset=BaseCafRepresentativeFormSet)


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
        if not option.follows_signatory_kind:  # else it is ticked exactly when such a party signs
            self.fields["default"] = default

    def save(self, commit=True):
        if "default" in self.fields:
            self.instance.default = self.cleaned_data["default"]
        return super().save(commit)

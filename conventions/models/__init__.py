from .annexes import Deliberation, DiagnosticFigure, DiagnosticSection, Equipment, SteeringBody
from .caf import Caf, CafRepresentative, Civility
from .collectivite import Collectivite, CollectiviteKind
from .convention import (
    Annex,
    Article,
    Convention,
    ConventionStatus,
    EditConflict,
    KeyFigure,
    Signatory,
    SignatoryRepresentative,
)
from .template import (
    ActionGrid,
    AnnexKind,
    AnnexTemplate,
    ArticleTemplate,
    ConventionKind,
    ConventionTemplate,
    StructureType,
    TemplateOption,
)
from .user import Role, User

__all__ = [
    "ActionGrid",
    "Annex",
    "AnnexKind",
    "AnnexTemplate",
    "Article",
    "ArticleTemplate",
    "Caf",
    "CafRepresentative",
    "Civility",
    "Collectivite",
    "CollectiviteKind",
    "Convention",
    "ConventionKind",
    "ConventionStatus",
    "ConventionTemplate",
    "Deliberation",
    "EditConflict",
    "DiagnosticFigure",
    "DiagnosticSection",
    "Equipment",
    "KeyFigure",
    "Role",
    "Signatory",
    "SignatoryRepresentative",
    "SteeringBody",
    "StructureType",
    "TemplateOption",
    "User",
]

from .annexes import Deliberation, DiagnosticFigure, DiagnosticSection, Equipment, SteeringBody
from .avenant import Avenant, AvenantChange, AvenantRepresentative, AvenantStatus
from .caf import Caf, CafRepresentative, Civility
from .collectivite import Collectivite, CollectiviteKind
from .convention import Convention
from .lifecycle import ConventionFrozen, DocumentKind, FrozenWhenSigned, SignedDocument, StatusChange
from .rendition import PdfRendition, WorkerHeartbeat
from .sections import Annex, Article, KeyFigure
from .signatory import Signatory, SignatoryRepresentative
from .status import FROZEN_STATUSES, TERMINATION_FIELDS, ConventionStatus, TerminationGround
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
from .versioning import EditConflict, Versioned

__all__ = [
    "Avenant",
    "AvenantStatus",
    "AvenantChange",
    "AvenantRepresentative",
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
    "ConventionFrozen",
    "DocumentKind",
    "FROZEN_STATUSES",
    "TERMINATION_FIELDS",
    "TerminationGround",
    "FrozenWhenSigned",
    "SignedDocument",
    "StatusChange",
    "ConventionKind",
    "ConventionStatus",
    "ConventionTemplate",
    "Deliberation",
    "EditConflict",
    "DiagnosticFigure",
    "DiagnosticSection",
    "Equipment",
    "KeyFigure",
    "PdfRendition",
    "WorkerHeartbeat",
    "Role",
    "Signatory",
    "SignatoryRepresentative",
    "SteeringBody",
    "StructureType",
    "TemplateOption",
    "User",
    "Versioned",
]

from .avenants import (
    avenant_change,
    avenant_change_open,
    avenant_change_remove,
    avenant_create,
    avenant_detail,
    avenant_pdf,
    avenant_preview,
    avenant_prolongation,
    avenant_sign,
    avenant_signatories,
    avenant_validate,
)
from .create import collectivite_chosen, collectivite_search, convention_create
from .documents import pdf, pdf_state, preview
from .edit import annex_edit, article_edit, convention_edit, convention_info, convention_options, section_preview
from .history import convention_history
from .home import home
from .lifecycle import (
    convention_delete,
    convention_sign,
    convention_status,
    convention_terminate,
    external_original,
    signed_document,
    signed_export,
    verify,
)
from .rows import row_add, row_delete, row_edit, row_file
from .signatories import convention_signatories, signatory_add, signatory_remove

__all__ = [
    "avenant_change",
    "avenant_change_open",
    "avenant_change_remove",
    "avenant_create",
    "avenant_detail",
    "avenant_pdf",
    "avenant_preview",
    "avenant_prolongation",
    "avenant_sign",
    "avenant_signatories",
    "avenant_validate",
    "annex_edit",
    "article_edit",
    "collectivite_chosen",
    "collectivite_search",
    "convention_create",
    "convention_delete",
    "convention_edit",
    "convention_history",
    "convention_info",
    "convention_options",
    "convention_signatories",
    "convention_sign",
    "convention_status",
    "convention_terminate",
    "external_original",
    "signed_document",
    "signed_export",
    "verify",
    "home",
    "pdf",
    "pdf_state",
    "preview",
    "row_add",
    "row_delete",
    "row_edit",
    "row_file",
    "section_preview",
    "signatory_add",
    "signatory_remove",
]

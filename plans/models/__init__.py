"""The plan d'actions of a convention (axes and fiches actions), its AO tables and its follow-up."""

from .ao_tables import (
    AOCompetence,
    AOCompetenceQuerySet,
    CareMode,
    ExercisedBy,
    PlacesProjection,
    TransferScope,
    prefill_ao_table,
    projected_count_error,
    saved_ao_table_breaches,
    signatory_communes,
)
from .follow_up import FollowUp, FollowUpQuerySet, FollowUpStatus, quarter_first_day, quarter_last_day
from .plan import ACTION_GRIDS, COORDINATION_GRID, CTG_GRID, ActionSheet, Axis

__all__ = [
    "ACTION_GRIDS",
    "AOCompetence",
    "AOCompetenceQuerySet",
    "ActionSheet",
    "Axis",
    "COORDINATION_GRID",
    "CTG_GRID",
    "CareMode",
    "ExercisedBy",
    "FollowUp",
    "FollowUpQuerySet",
    "FollowUpStatus",
    "PlacesProjection",
    "TransferScope",
    "prefill_ao_table",
    "projected_count_error",
    "saved_ao_table_breaches",
    "signatory_communes",
    "quarter_first_day",
    "quarter_last_day",
]

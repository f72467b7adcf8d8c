"""The words for hazard states, actions and grades (codes in the workflow table)."""

from inspection.errors import N_

STATE_LABELS = {
    "reported": N_("Reported"),
    "rectifying": N_("Rectifying"),
    "awaiting_verification": N_("Awaiting verification"),
    "closed": N_("Closed"),
}
ACTION_LABELS = {
    "raise": N_("Raise"),
    "assign": N_("Assign rectification"),
    "submit": N_("Submit rectification evidence"),
    "verify": N_("Verify and close"),
    "reject": N_("Reject on verification"),
    "reopen": N_("Reopen"),
    "record_interim_measures": N_("Record interim measures"),
}
GRADE_LABELS = {"general": N_("General hazard"), "major": N_("Major hazard")}

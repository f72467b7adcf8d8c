"""The words for hazard states, actions, grades, sources and places (codes in the workflow)."""

from inspection.errors import N_, register_code_words
from inspection.sites.kinds import SITE_KIND_LABELS

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
    "recheck": N_("Re-checked in a look-back: holds"),
}
GRADE_LABELS = {"general": N_("General hazard"), "major": N_("Major hazard")}
SOURCE_LABELS = {
    "self_inspection": N_("Safety self-inspection"),
    "patrol": N_("Road patrol"),
    "higher_authority": N_("Higher-authority inspection"),
    "public_report": N_("Public report"),
    "other": N_("Other source"),
}
LOCATION_TYPE_LABELS = {"road": N_("At a road stake"), "site": N_("At a site")}
# The board's place filter: a road stake, any site, or one kind of site.
PLACE_LABELS = {**LOCATION_TYPE_LABELS, **{str(k): v for k, v in SITE_KIND_LABELS.items()}}

register_code_words({**STATE_LABELS, **ACTION_LABELS})

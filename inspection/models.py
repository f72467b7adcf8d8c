"""Import every area's models so the metadata knows all tables (migrations, tests)."""

from inspection.auth.models import ApiToken, User
from inspection.hazards.models import Hazard, HazardEvent
from inspection.media.models import Photo
from inspection.network.models import CalibrationPointRow, ChainBreakRow, Road, RoadPiece
from inspection.patrols.models import Finding, Patrol
from inspection.repairs.models import Repair, RepairMaterial
from inspection.surveys.models import SurveyCampaign, SurveyRecord, SurveyUnit

__all__ = [
    "ApiToken",
    "CalibrationPointRow",
    "ChainBreakRow",
    "Finding",
    "Hazard",
    "HazardEvent",
    "Patrol",
    "Photo",
    "Repair",
    "RepairMaterial",
    "Road",
    "RoadPiece",
    "SurveyCampaign",
    "SurveyRecord",
    "SurveyUnit",
    "User",
]

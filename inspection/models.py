"""Import every area's models so the metadata knows all tables (migrations, tests)."""

from inspection.auth.models import ApiToken, User
from inspection.crew.models import (
    Briefing,
    BriefingAttendee,
    BriefingTopic,
    CrewSafetySettings,
    PretripCheck,
    WorkZone,
    WorkZoneDevice,
    WorkZoneMinimum,
    WorkZonePart,
)
from inspection.fleet.models import (
    Driver,
    DriverReview,
    Vehicle,
    VehicleDefect,
    VehicleService,
    VehicleServiceInterval,
    VehicleStatusEvent,
)
from inspection.hazards.models import Hazard, HazardEvent
from inspection.inspections.models import (
    Inspection,
    InspectionItem,
    InspectionMember,
    InspectionRecheck,
    InspectionSection,
    InspectionSite,
    InspectionTemplate,
    InspectionTemplateItem,
)
from inspection.media.models import Photo
from inspection.network.models import CalibrationPointRow, ChainBreakRow, Road, RoadPiece
from inspection.patrols.models import Finding, Patrol
from inspection.plans.models import (
    Plan,
    PlanLine,
    PlanVersion,
    Statement,
    StatementLine,
    StatementRepair,
)
from inspection.repairs.models import Repair, RepairMaterial
from inspection.sites.models import Department, Site
from inspection.supplies.models import SupplyItem, SupplyMovement, SupplyStock
from inspection.surveys.models import SurveyCampaign, SurveyRecord, SurveyUnit
from inspection.tracks.models import CoveredInterval, PatrolFrequency, TrackBatch, TrackPoint

__all__ = [
    "ApiToken",
    "Briefing",
    "BriefingAttendee",
    "BriefingTopic",
    "CalibrationPointRow",
    "ChainBreakRow",
    "CoveredInterval",
    "CrewSafetySettings",
    "Department",
    "Driver",
    "DriverReview",
    "Finding",
    "Hazard",
    "HazardEvent",
    "Inspection",
    "InspectionItem",
    "InspectionMember",
    "InspectionRecheck",
    "InspectionSection",
    "InspectionSite",
    "InspectionTemplate",
    "InspectionTemplateItem",
    "Patrol",
    "PatrolFrequency",
    "Photo",
    "Plan",
    "PlanLine",
    "PlanVersion",
    "PretripCheck",
    "Repair",
    "RepairMaterial",
    "Road",
    "RoadPiece",
    "Site",
    "Statement",
    "StatementLine",
    "StatementRepair",
    "SupplyItem",
    "SupplyMovement",
    "SupplyStock",
    "SurveyCampaign",
    "SurveyRecord",
    "SurveyUnit",
    "TrackBatch",
    "TrackPoint",
    "User",
    "Vehicle",
    "VehicleDefect",
    "VehicleService",
    "VehicleServiceInterval",
    "VehicleStatusEvent",
    "WorkZone",
    "WorkZoneDevice",
    "WorkZoneMinimum",
    "WorkZonePart",
]

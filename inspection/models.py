"""Import every area's models so the metadata knows all tables (migrations, tests)."""

from inspection.auth.models import ApiToken, User
from inspection.network.models import CalibrationPointRow, ChainBreakRow, Road, RoadPiece

__all__ = ["ApiToken", "CalibrationPointRow", "ChainBreakRow", "Road", "RoadPiece", "User"]

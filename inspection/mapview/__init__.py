"""The map page: roads, findings, hazards, repairs and survey units drawn with Leaflet."""

"""Every endpoint × every role: who is let in and who is refused (deny by default).

Add a row here with every new endpoint; the completeness test fails until you do.
"""

import pytest

from inspection.auth.permissions import Role

ANON = "anonymous"
PUBLIC = "public"
EVERYONE = {r.value for r in Role}
FIELD = {"patrol", "safety_officer"}
READERS = FIELD | {"manager"}
ROAD_READERS = READERS | {"admin"}
SITE_READERS = READERS | {"admin"}
SITE_MANAGERS = {"manager", "admin"}
UUID = "00000000-0000-4000-8000-000000000000"
INSPECTION_READERS = {"safety_officer", "manager"}
# The fleet, drivers and emergency supplies (#15).
FLEET_READERS = READERS | {"machinery"}
FLEET_MANAGERS = {"machinery", "manager"}
DEFECT_REPORTERS = FIELD | {"machinery"}
SUPPLY_READERS = READERS | {"machinery"}
SUPPLY_MANAGERS = {"machinery", "safety_officer", "manager"}
# Crew safety (#16).
CREW_RECORDERS = FIELD
CREW_READERS = READERS | {"machinery"}
CREW_OFFICERS = {"safety_officer", "manager"}
# Plans and measurement (#17).
PLAN_READERS = READERS | {"machinery"}
PLAN_MANAGERS = {"manager"}

# endpoint: (method, path, roles allowed, or PUBLIC)
MATRIX = {
    "main.home": ("GET", "/", EVERYONE),
    "main.set_language": ("POST", "/lang", PUBLIC),
    "main.healthz": ("GET", "/healthz", PUBLIC),
    "auth.login": ("GET", "/login", PUBLIC),
    "auth.logout": ("POST", "/logout", PUBLIC),
    "auth.account": ("GET", "/account", EVERYONE),
    "auth.change_password": ("GET", "/account/password", EVERYONE),
    "auth.revoke_token": ("POST", "/tokens/999999/revoke", EVERYONE),
    "auth.users": ("GET", "/admin/users", {"admin"}),
    "api.me": ("GET", "/api/v1/me", EVERYONE),
    "api.issue_token": ("POST", "/api/v1/tokens", EVERYONE),
    "api.revoke_token": ("DELETE", "/api/v1/tokens/999999", EVERYONE),
    "network.index": ("GET", "/roads/", ROAD_READERS),
    "network.detail": ("GET", "/roads/G0/up", ROAD_READERS),
    "network.import_roads": ("GET", "/roads/import", {"manager", "admin"}),
    "api.roads": ("GET", "/api/v1/roads", ROAD_READERS),
    "api.road": ("GET", "/api/v1/roads/G0", ROAD_READERS),
    "api.road_position": ("GET", "/api/v1/roads/G0/position?stake=K1%2B000", ROAD_READERS),
    "api.locate": ("GET", "/api/v1/locate?lon=87.6&lat=43.8", ROAD_READERS),
    "main.service_worker": ("GET", "/sw.js", PUBLIC),
    "main.manifest": ("GET", "/manifest.webmanifest", PUBLIC),
    "main.diagnostics": ("GET", "/diagnostics", PUBLIC),
    "patrols.field": ("GET", "/field/", FIELD),
    "patrols.new_finding": ("GET", "/field/finding", FIELD),
    "inspections.walk": ("GET", "/field/inspection", {"safety_officer"}),
    "inspections.index": ("GET", "/inspections/", INSPECTION_READERS),
    "inspections.new": ("GET", "/inspections/new", {"safety_officer"}),
    "inspections.detail": ("GET", "/inspections/999999", INSPECTION_READERS),
    "inspections.answer": ("POST", "/inspections/999999/answers", {"safety_officer"}),
    "inspections.recheck": ("POST", "/inspections/999999/rechecks", {"safety_officer"}),
    "inspections.template_list": ("GET", "/inspections/templates/", INSPECTION_READERS),
    "inspections.new_template": ("GET", "/inspections/templates/new", {"safety_officer"}),
    "inspections.edit_template": ("GET", "/inspections/templates/999999", {"safety_officer"}),
    "inspections.template_active": (
        "POST",
        "/inspections/templates/999999/active",
        {"safety_officer"},
    ),
    "api.list_inspection_templates": ("GET", "/api/v1/inspection-templates", INSPECTION_READERS),
    "api.inspection_template": ("GET", "/api/v1/inspection-templates/999999", INSPECTION_READERS),
    "api.create_inspection_template": ("POST", "/api/v1/inspection-templates", {"safety_officer"}),
    "api.replace_inspection_template": (
        "PUT",
        "/api/v1/inspection-templates/999999",
        {"safety_officer"},
    ),
    "api.create_inspection": ("POST", "/api/v1/inspections", {"safety_officer"}),
    "api.list_inspections": ("GET", "/api/v1/inspections", INSPECTION_READERS),
    "api.inspection": ("GET", "/api/v1/inspections/999999", INSPECTION_READERS),
    "api.add_inspection_item": ("POST", "/api/v1/inspections/999999/items", {"safety_officer"}),
    "api.upload_inspection_item_photo": (
        "POST",
        f"/api/v1/inspection-items/{UUID}/photos",
        {"safety_officer"},
    ),
    "api.recheck_candidates": (
        "GET",
        "/api/v1/inspections/999999/recheck-candidates",
        INSPECTION_READERS,
    ),
    "api.recheck_hazard": ("POST", "/api/v1/inspections/999999/rechecks", {"safety_officer"}),
    "patrols.findings": ("GET", "/findings/", READERS),
    "patrols.finding_detail": ("GET", f"/findings/{UUID}", READERS),
    "patrols.void_finding": ("POST", f"/findings/{UUID}/void", FIELD),
    "patrols.import_outbox": ("GET", "/field/import", FIELD),
    "media.photo": ("GET", "/media/ab/cd/none.jpg", READERS),
    "api.start_patrol": ("POST", "/api/v1/patrols", FIELD),
    "api.end_patrol": ("PATCH", f"/api/v1/patrols/{UUID}", FIELD),
    "api.add_track_batch": ("POST", f"/api/v1/patrols/{UUID}/track", FIELD),
    "api.patrol_track": ("GET", f"/api/v1/patrols/{UUID}/track", READERS),
    "tracks.patrol": ("GET", f"/patrols/{UUID}", READERS),
    "api.submit_finding": ("POST", "/api/v1/findings", FIELD),
    "api.list_findings": ("GET", "/api/v1/findings", READERS),
    "api.nearby_findings": ("GET", "/api/v1/findings/nearby?kind=pothole", READERS),
    "api.finding": ("GET", f"/api/v1/findings/{UUID}", READERS),
    "api.update_finding": ("PATCH", f"/api/v1/findings/{UUID}", FIELD),
    "api.void_finding": ("POST", f"/api/v1/findings/{UUID}/void", FIELD),
    "api.upload_finding_photo": ("POST", f"/api/v1/findings/{UUID}/photos", FIELD),
    "api.raise_hazard": ("POST", "/api/v1/hazards", FIELD),
    "api.list_hazards": ("GET", "/api/v1/hazards", READERS),
    "api.hazard": ("GET", "/api/v1/hazards/999999", READERS),
    "api.hazard_action": ("POST", "/api/v1/hazards/999999/actions", FIELD),
    "api.upload_hazard_photo": ("POST", "/api/v1/hazards/999999/photos", FIELD),
    "hazards.board": ("GET", "/hazards/", READERS),
    "hazards.detail": ("GET", "/hazards/999999", READERS),
    "hazards.act": ("POST", "/hazards/999999/act", FIELD),
    "hazards.ledger": ("GET", "/hazards/ledger.csv", {"safety_officer", "manager"}),
    "repairs.index": ("GET", "/repairs/", READERS),
    "repairs.new": ("GET", "/repairs/new", FIELD),
    "repairs.detail": ("GET", f"/repairs/{UUID}", READERS),
    "repairs.void": ("POST", f"/repairs/{UUID}/void", FIELD),
    "repairs.add_photo": ("POST", f"/repairs/{UUID}/photos", FIELD),
    "api.submit_repair": ("POST", "/api/v1/repairs", FIELD),
    "api.list_repairs": ("GET", "/api/v1/repairs", READERS),
    "api.repair": ("GET", f"/api/v1/repairs/{UUID}", READERS),
    "api.void_repair": ("POST", f"/api/v1/repairs/{UUID}/void", FIELD),
    "api.upload_repair_photo": ("POST", f"/api/v1/repairs/{UUID}/photos", FIELD),
    "surveys.index": ("GET", "/surveys/", READERS),
    "surveys.new": ("GET", "/surveys/new", {"manager"}),
    "surveys.detail": ("GET", "/surveys/999999", READERS),
    "surveys.export_units": ("GET", "/surveys/999999/units.csv", READERS),
    "surveys.template": ("GET", "/surveys/template.xlsx", {"manager"}),
    "surveys.import_sheet": ("GET", "/surveys/999999/import", {"manager"}),
    "surveys.unit": ("GET", "/surveys/999999/units/999999", READERS),
    "surveys.add_record": ("POST", "/surveys/999999/units/999999/records", FIELD),
    "surveys.edit_unit": ("POST", "/surveys/999999/units/999999/edit", {"manager"}),
    # Readers reach it; the service lets only the record's author or a survey manager void.
    "surveys.void_record": ("POST", "/surveys/records/999999/void", READERS),
    "api.list_surveys": ("GET", "/api/v1/surveys", READERS),
    "api.survey": ("GET", "/api/v1/surveys/999999", READERS),
    "api.survey_units": ("GET", "/api/v1/surveys/999999/units", READERS),
    "api.add_survey_record": ("POST", "/api/v1/surveys/999999/records", FIELD),
    "api.upload_survey_record_photo": ("POST", "/api/v1/surveys/records/999999/photos", READERS),
    "api.upload_survey_record_photo_by_uuid": (
        "POST",
        f"/api/v1/surveys/records/by-uuid/{UUID}/photos",
        READERS,
    ),
    "reports.annual": ("GET", "/reports/annual", {"manager"}),
    "reports.annual_export": ("GET", "/reports/annual.csv", {"manager"}),
    "api.annual_report": ("GET", "/api/v1/reports/annual", {"manager"}),
    "mapview.page": ("GET", "/map", READERS),
    "mapview.stakes": ("GET", "/map/stakes?bbox=87,43,88,44", READERS),
    "ogc.landing": ("GET", "/ogc/", READERS),
    "ogc.conformance": ("GET", "/ogc/conformance", READERS),
    "ogc.api": ("GET", "/ogc/api", READERS),
    "ogc.collections": ("GET", "/ogc/collections", READERS),
    "ogc.collection": ("GET", "/ogc/collections/roads", READERS),
    "ogc.items": ("GET", "/ogc/collections/roads/items", READERS),
    "ogc.item": ("GET", "/ogc/collections/roads/items/999999", READERS),
    "ogc.tile": ("GET", "/ogc/collections/findings/tiles/WebMercatorQuad/0/0/0", READERS),
    "sites.departments": ("GET", "/departments/", SITE_READERS),
    "sites.new_department": ("POST", "/departments/new", SITE_MANAGERS),
    "sites.edit_department": ("GET", "/departments/999999/edit", SITE_MANAGERS),
    "sites.index": ("GET", "/sites/", SITE_READERS),
    "sites.new_site": ("GET", "/sites/new", SITE_MANAGERS),
    "sites.detail": ("GET", "/sites/999999", SITE_READERS),
    "sites.edit_site": ("GET", "/sites/999999/edit", SITE_MANAGERS),
    "sites.template": ("GET", "/sites/template.csv", SITE_MANAGERS),
    "sites.import_sites": ("GET", "/sites/import", SITE_MANAGERS),
    "api.list_sites": ("GET", "/api/v1/sites", SITE_READERS),
    "api.site": ("GET", "/api/v1/sites/999999", SITE_READERS),
    "api.create_site": ("POST", "/api/v1/sites", SITE_MANAGERS),
    "api.update_site": ("PATCH", "/api/v1/sites/999999", SITE_MANAGERS),
    "api.list_departments": ("GET", "/api/v1/departments", SITE_READERS),
    "api.create_department": ("POST", "/api/v1/departments", SITE_MANAGERS),
    "api.patrol_coverage": ("GET", "/api/v1/patrol-coverage", READERS),
    "api.patrol_frequencies": ("GET", "/api/v1/patrol-frequencies", ROAD_READERS),
    "api.set_patrol_frequency": ("PUT", "/api/v1/patrol-frequencies/class1", {"manager", "admin"}),
    "tracks.coverage": ("GET", "/patrols/coverage", READERS),
    "tracks.patrol_frequencies": ("GET", "/patrols/frequencies", {"manager", "admin"}),
    "api.report_vehicle_defect": ("POST", "/api/v1/vehicle-defects", DEFECT_REPORTERS),
    "api.list_vehicle_defects": ("GET", "/api/v1/vehicle-defects", FLEET_READERS),
    "fleet.defect": ("GET", "/fleet/defect", DEFECT_REPORTERS),
    # Vehicles and machinery (#15).
    "fleet.index": ("GET", "/fleet/", FLEET_READERS),
    "fleet.new_vehicle": ("GET", "/fleet/new", FLEET_MANAGERS),
    "fleet.vehicle": ("GET", "/fleet/999999", FLEET_READERS),
    "fleet.edit_vehicle": ("GET", "/fleet/999999/edit", FLEET_MANAGERS),
    "fleet.change_status": ("POST", "/fleet/999999/status", FLEET_MANAGERS),
    "fleet.record_service": ("POST", "/fleet/999999/services", FLEET_MANAGERS),
    "fleet.due": ("GET", "/fleet/due", FLEET_READERS),
    # Pre-trip checks and the officer's day (#16).
    "api.record_pretrip_check": ("POST", "/api/v1/pretrip-checks", CREW_RECORDERS),
    "api.list_pretrip_checks": ("GET", "/api/v1/pretrip-checks", CREW_READERS),
    "api.pretrip_check": ("GET", f"/api/v1/pretrip-checks/{UUID}", CREW_READERS),
    "api.void_pretrip_check": ("POST", f"/api/v1/pretrip-checks/{UUID}/void", CREW_OFFICERS),
    "api.crew_safety_settings": ("GET", "/api/v1/crew-safety-settings", CREW_READERS),
    "api.update_crew_safety_settings": ("PUT", "/api/v1/crew-safety-settings", CREW_OFFICERS),
    "crew.pretrip_field": ("GET", "/field/pretrip", CREW_RECORDERS),
    "crew.pretrip_list": ("GET", "/crew/pretrip", CREW_READERS),
    "crew.pretrip_detail": ("GET", "/crew/pretrip/999999", CREW_READERS),
    "crew.void_pretrip_check": ("POST", "/crew/pretrip/999999/void", CREW_OFFICERS),
    "crew.settings": ("GET", "/crew/settings", CREW_OFFICERS),
    "crew.today": ("GET", "/crew/today", CREW_READERS),
    # Pre-shift briefings (#16) and the photos of briefings and work zones.
    "api.record_briefing": ("POST", "/api/v1/briefings", CREW_RECORDERS),
    "api.list_briefings": ("GET", "/api/v1/briefings", CREW_READERS),
    "api.briefing": ("GET", f"/api/v1/briefings/{UUID}", CREW_READERS),
    "api.void_briefing": ("POST", f"/api/v1/briefings/{UUID}/void", CREW_RECORDERS),
    "api.upload_briefing_photo": ("POST", f"/api/v1/briefings/{UUID}/photos", CREW_RECORDERS),
    "api.briefing_topics": ("GET", "/api/v1/briefing-topics", CREW_READERS),
    "api.upload_work_zone_photo": ("POST", f"/api/v1/work-zones/{UUID}/photos", CREW_RECORDERS),
    # Work zones (#16).
    "api.record_work_zone": ("POST", "/api/v1/work-zones", CREW_RECORDERS),
    "api.list_work_zones": ("GET", "/api/v1/work-zones", CREW_READERS),
    "api.work_zone": ("GET", f"/api/v1/work-zones/{UUID}", CREW_READERS),
    "api.update_work_zone": ("PATCH", f"/api/v1/work-zones/{UUID}", CREW_RECORDERS),
    "api.void_work_zone": ("POST", f"/api/v1/work-zones/{UUID}/void", CREW_RECORDERS),
    "api.work_zone_minimums": ("GET", "/api/v1/work-zone-minimums", CREW_READERS),
    "api.set_work_zone_minimums": ("PUT", "/api/v1/work-zone-minimums", CREW_OFFICERS),
    "crew.work_zone_field": ("GET", "/field/work-zone", CREW_RECORDERS),
    "crew.work_zone_list": ("GET", "/crew/work-zones", CREW_READERS),
    "crew.work_zone_detail": ("GET", f"/crew/work-zones/{UUID}", CREW_READERS),
    "crew.work_zone_removed": ("POST", f"/crew/work-zones/{UUID}/removed", CREW_RECORDERS),
    "crew.void_work_zone": ("POST", f"/crew/work-zones/{UUID}/void", CREW_RECORDERS),
    "crew.work_zone_minimums": ("GET", "/crew/work-zone-minimums", CREW_OFFICERS),
    "crew.briefing_field": ("GET", "/field/briefing", CREW_RECORDERS),
    "crew.briefing_list": ("GET", "/crew/briefings", CREW_READERS),
    "crew.briefing_detail": ("GET", f"/crew/briefings/{UUID}", CREW_READERS),
    "crew.void_briefing": ("POST", f"/crew/briefings/{UUID}/void", CREW_RECORDERS),
    "crew.briefing_topics": ("GET", "/crew/briefing-topics", CREW_OFFICERS),
    "fleet.sealed": ("GET", "/fleet/sealed", FLEET_READERS),
    "fleet.sealed_export": ("GET", "/fleet/sealed.csv", FLEET_READERS),
    "fleet.intervals": ("GET", "/fleet/intervals", FLEET_READERS),
    "fleet.save_intervals": ("POST", "/fleet/intervals", FLEET_MANAGERS),
    "api.list_vehicles": ("GET", "/api/v1/vehicles", FLEET_READERS),
    "api.create_vehicle": ("POST", "/api/v1/vehicles", FLEET_MANAGERS),
    "api.vehicle": ("GET", "/api/v1/vehicles/999999", FLEET_READERS),
    "api.update_vehicle": ("PATCH", "/api/v1/vehicles/999999", FLEET_MANAGERS),
    "api.change_vehicle_status": ("POST", "/api/v1/vehicles/999999/status", FLEET_MANAGERS),
    "api.vehicle_services": ("GET", "/api/v1/vehicles/999999/services", FLEET_READERS),
    "api.record_vehicle_service": ("POST", "/api/v1/vehicles/999999/services", FLEET_MANAGERS),
    "api.vehicles_due": ("GET", "/api/v1/vehicles/due", FLEET_READERS),
    # Drivers (#15).
    "fleet.drivers_index": ("GET", "/fleet/drivers/", FLEET_READERS),
    "fleet.drivers_due": ("GET", "/fleet/drivers/due", FLEET_READERS),
    "fleet.new_driver": ("GET", "/fleet/drivers/new", FLEET_MANAGERS),
    "fleet.driver": ("GET", "/fleet/drivers/999999", FLEET_READERS),
    "fleet.edit_driver": ("GET", "/fleet/drivers/999999/edit", FLEET_MANAGERS),
    "fleet.add_driver_review": ("POST", "/fleet/drivers/999999/reviews", FLEET_MANAGERS),
    "fleet.import_vehicles": ("GET", "/fleet/import", FLEET_MANAGERS),
    "fleet.import_template": ("GET", "/fleet/template.csv", FLEET_MANAGERS),
    "api.list_drivers": ("GET", "/api/v1/drivers", FLEET_READERS),
    "api.drivers_due": ("GET", "/api/v1/drivers/due", FLEET_READERS),
    "api.driver": ("GET", "/api/v1/drivers/999999", FLEET_READERS),
    "api.create_driver": ("POST", "/api/v1/drivers", FLEET_MANAGERS),
    "api.update_driver": ("PATCH", "/api/v1/drivers/999999", FLEET_MANAGERS),
    "api.add_driver_review": ("POST", "/api/v1/drivers/999999/reviews", FLEET_MANAGERS),
    "api.openapi": ("GET", "/api/v1/openapi.json", PUBLIC),
    "api.docs": ("GET", "/api/v1/docs", PUBLIC),
    # Emergency supplies (#15).
    "supplies.board": ("GET", "/supplies/", SUPPLY_READERS),
    "supplies.items": ("GET", "/supplies/items", SUPPLY_READERS),
    "supplies.new_item": ("POST", "/supplies/items/new", SUPPLY_MANAGERS),
    "supplies.edit_item": ("GET", "/supplies/items/999999/edit", SUPPLY_MANAGERS),
    "supplies.depot": ("GET", "/supplies/depots/999999", SUPPLY_READERS),
    "supplies.record_movement": ("POST", "/supplies/depots/999999/movements", SUPPLY_MANAGERS),
    "supplies.set_minimum": ("POST", "/supplies/depots/999999/minimum", SUPPLY_MANAGERS),
    "supplies.movements": ("GET", "/supplies/movements", SUPPLY_READERS),
    "supplies.export": ("GET", "/supplies/movements.csv", SUPPLY_READERS),
    "api.supplies": ("GET", "/api/v1/supplies", SUPPLY_READERS),
    "api.list_supply_items": ("GET", "/api/v1/supplies/items", SUPPLY_READERS),
    "api.create_supply_item": ("POST", "/api/v1/supplies/items", SUPPLY_MANAGERS),
    "api.update_supply_item": ("PATCH", "/api/v1/supplies/items/999999", SUPPLY_MANAGERS),
    "api.set_supply_minimum": ("PUT", "/api/v1/supplies/stocks", SUPPLY_MANAGERS),
    "api.list_supply_movements": ("GET", "/api/v1/supplies/movements", SUPPLY_READERS),
    "api.record_supply_movement": ("POST", "/api/v1/supplies/movements", SUPPLY_MANAGERS),
    # Plans (#17, h15).
    "plans.index": ("GET", "/plans/", PLAN_READERS),
    "plans.year": ("GET", "/plans/1999", PLAN_READERS),
    "plans.template": ("GET", "/plans/template.xlsx", PLAN_MANAGERS),
    "plans.import_plan": ("POST", "/plans/1999/import", PLAN_MANAGERS),
    "plans.edit_lines": ("POST", "/plans/1999/lines", PLAN_MANAGERS),
    "api.list_plans": ("GET", "/api/v1/plans", PLAN_READERS),
    "api.plan": ("GET", "/api/v1/plans/1999", PLAN_READERS),
    "api.create_plan": ("POST", "/api/v1/plans", PLAN_MANAGERS),
    "api.adjust_plan": ("POST", "/api/v1/plans/1999/adjustments", PLAN_MANAGERS),
    # Plan execution (#17, h17).
    "plans.execution": ("GET", "/plans/2026/execution", PLAN_READERS),
    "api.plan_execution": ("GET", "/api/v1/plans/2026/execution", PLAN_READERS),
    # Measurement statements (#17, h16).
    "plans.statements": ("GET", "/plans/statements", PLAN_READERS),
    "plans.statement": ("GET", "/plans/statements/2099/1", PLAN_READERS),
    "plans.build_statement": ("POST", "/plans/statements/2099/1/build", PLAN_MANAGERS),
    "plans.confirm_statement": ("POST", "/plans/statements/2099/1/confirm", PLAN_MANAGERS),
    "plans.add_manual_line": ("POST", "/plans/statements/2099/1/manual-lines", PLAN_MANAGERS),
    "plans.remove_manual_line": (
        "POST",
        "/plans/statements/2099/1/manual-lines/1/remove",
        PLAN_MANAGERS,
    ),
    "plans.export_statements": ("GET", "/plans/statements/2099.xlsx", PLAN_READERS),
    "api.measurements": ("GET", "/api/v1/measurements?year=2099", PLAN_READERS),
    "api.measurement": ("GET", "/api/v1/measurements/2099/1", PLAN_READERS),
    "api.build_measurement": ("POST", "/api/v1/measurements/2099/1/build", PLAN_MANAGERS),
    "api.confirm_measurement": ("POST", "/api/v1/measurements/2099/1/confirm", PLAN_MANAGERS),
    "api.add_manual_measurement_line": (
        "POST",
        "/api/v1/measurements/2099/1/manual-lines",
        PLAN_MANAGERS,
    ),
    "api.change_manual_measurement_line": (
        "PATCH",
        "/api/v1/measurements/2099/1/manual-lines/1",
        PLAN_MANAGERS,
    ),
    "api.remove_manual_measurement_line": (
        "DELETE",
        "/api/v1/measurements/2099/1/manual-lines/1",
        PLAN_MANAGERS,
    ),
}


def test_matrix_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(MATRIX), "update MATRIX for new or removed endpoints"


def test_every_view_declares_its_permission(app):
    undeclared = [
        name
        for name, view in app.view_functions.items()
        if name != "static" and not hasattr(view, "permission")
    ]
    assert undeclared == []


CASES = [(endpoint, role) for endpoint in MATRIX for role in [ANON, *sorted(EVERYONE)]]


@pytest.mark.parametrize(("endpoint", "role"), CASES, ids=[f"{e}-{r}" for e, r in CASES])
def test_access(client, login_as, endpoint, role):
    method, path, allowed = MATRIX[endpoint]
    if role != ANON:
        login_as(role)
    response = client.open(path, method=method)
    response.close()  # files sent with send_file stay open until the response is closed
    location = response.headers.get("Location", "")
    refused_as_anonymous = response.status_code == 401 or "/login?next=" in location
    if allowed == PUBLIC or (role != ANON and role in allowed):
        assert response.status_code != 403, response.get_data(as_text=True)[:300]
        assert not refused_as_anonymous
    elif role == ANON:
        assert refused_as_anonymous, (response.status_code, location)
    else:
        assert response.status_code == 403


def test_undeclared_endpoint_is_refused_to_everyone(app, client, login_as):
    # A view added without a permission must not be reachable, even by an administrator.
    login_as("admin", "manager", "safety_officer", "patrol")
    view = app.view_functions["main.home"]
    saved = view.permission
    try:
        del view.permission
        assert client.get("/").status_code == 403
    finally:
        view.permission = saved

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
    "api.openapi": ("GET", "/api/v1/openapi.json", PUBLIC),
    "api.docs": ("GET", "/api/v1/docs", PUBLIC),
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

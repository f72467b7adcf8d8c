"""The coverage page and the patrol frequencies page."""

from __future__ import annotations

from inspection.extensions import db
from inspection.tracks.models import PatrolFrequency
from tests.conftest import csrf_token_from
from tests.integration.tracks.coverage_helpers import local, patrol_whole_road


def test_the_coverage_page_shows_the_rate_the_roads_and_the_gaps(
    client, login_as, roads, english, db_session
):
    crew = login_as("patrol")
    for day in range(1, 11):
        patrol_whole_road(db_session, roads["G30"], crew, local(2026, 5, day))
    page = client.get("/patrols/coverage?from=2026-05-01&to=2026-05-10")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    g30 = roads["G30"].length_m
    network = sum(r.length_m for r in roads.values())
    assert f'data-rate="{g30 / network * 100:.1f}"' in html
    assert "K3500+000–K3511+700, K3512+000–K3520+000" in html
    assert "never" in html  # G312 and S21 were never patrolled
    assert "default — to be confirmed by the branch" in html
    assert "/map?from=2026-05-01&amp;to=2026-05-10" in html
    one = client.get("/patrols/coverage?from=2026-05-01&to=2026-05-10&road=S21")
    assert one.status_code == 200 and "K3500+000" not in one.get_data(as_text=True)


def test_bad_input_is_shown_on_the_page(client, login_as, roads, english):
    login_as("manager")
    page = client.get("/patrols/coverage?from=2026-05-10&to=2026-05-01")
    assert page.status_code == 422
    assert "The first day is after the last day." in page.get_data(as_text=True)
    assert client.get("/patrols/coverage?road=G999").status_code == 404


def test_a_frequency_saved_on_the_page_is_confirmed(client, login_as, english, db_session):
    manager = login_as("manager")
    page = client.get("/patrols/frequencies")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("default — to be confirmed by the branch") == 6
    token = csrf_token_from(html)
    bad = client.post(
        "/patrols/frequencies",
        data={"csrf_token": token, "road_class": "class2", "every_days": "0"},
    )
    assert bad.status_code == 422
    assert "Give a whole number of days from 1 to 365." in bad.get_data(as_text=True)
    # Not saved: the shipped default stands (a row from migration 0013, or none at all).
    unsaved = db_session.get(PatrolFrequency, "class2")
    assert unsaved is None or unsaved.confirmed is False
    saved = client.post(
        "/patrols/frequencies",
        data={"csrf_token": token, "road_class": "class2", "every_days": "3"},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    stored = db_session.get(PatrolFrequency, "class2")
    assert (stored.every_days, stored.confirmed, stored.updated_by_id) == (3, True, manager.id)
    after = client.get("/patrols/frequencies").get_data(as_text=True)
    assert after.count("default — to be confirmed by the branch") == 5
    unknown = client.post(
        "/patrols/frequencies",
        data={"csrf_token": token, "road_class": "motorway", "every_days": "3"},
    )
    assert unknown.status_code == 404
    no_token = client.post("/patrols/frequencies", data={"road_class": "class2", "every_days": "1"})
    assert no_token.status_code == 400

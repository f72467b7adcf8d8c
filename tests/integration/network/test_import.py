"""Importing centrelines from GeoJSON: joined per road, idempotent, atomic, with a summary."""

import json

import pytest
from sqlalchemy import func, select

from inspection.network import services
from inspection.network.models import ChainBreakRow, Road, RoadPiece
from inspection.network.sample import SampleSegment, demo_network, segment_features


@pytest.fixture
def network_file(tmp_path):
    broken = segment_features(
        "X9", "坏数据", "1.上行", (88.0, 44.0), 90.0, [SampleSegment("0", "1", 1000)]
    )
    broken[0]["geometry"]["coordinates"] = broken[0]["geometry"]["coordinates"][:1]
    unknown = segment_features(
        "X8", "匝道", "9.其它", (88.1, 44.0), 90.0, [SampleSegment("0", "1", 1000)]
    )
    path = tmp_path / "network.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [*demo_network(), *broken, *unknown]}),
        encoding="utf-8",
    )
    return path


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_cli_import_summarises_and_reimport_changes_nothing(app, db_session, network_file):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roads", "import", str(network_file)])
    assert first.exit_code == 0, first.output
    assert "8 features used, 2 skipped" in first.output
    assert "roads created: 3 G30/up G312/both S21/both" in first.output
    assert "feature 8 (X9): The line has only one vertex." in first.output
    assert "feature 9 (X8): Unknown direction 9.其它." in first.output

    g30 = services.get_road(db_session, "G30")
    version = g30.geometry_version
    assert [(b.kind, b.back_chainage, b.ahead_chainage) for b in g30.chain_breaks] == [
        ("short", 3511700.0, 3512000.0)
    ]
    g312 = services.get_road(db_session, "G312")
    assert [(b.kind, b.back_chainage, b.ahead_chainage) for b in g312.chain_breaks] == [
        ("long", 3610800.0, 3610000.0)
    ]
    pieces = _count(db_session, RoadPiece)

    second = runner.invoke(args=["roads", "import", str(network_file)])
    assert second.exit_code == 0, second.output
    assert "roads created: 0" in second.output
    assert "roads unchanged: 3" in second.output
    db_session.expire_all()
    assert services.get_road(db_session, "G30").geometry_version == version
    assert _count(db_session, RoadPiece) == pieces
    assert _count(db_session, Road) == 3


def test_dry_run_saves_nothing(app, db_session, network_file):
    result = app.test_cli_runner().invoke(args=["roads", "import", str(network_file), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was saved" in result.output
    assert "roads created: 3" in result.output
    assert _count(db_session, Road) == 0


def test_a_failure_half_way_leaves_nothing_behind(app, db_session, network_file, monkeypatch):
    original = services.save_planned_road
    calls = []

    def fail_on_second_road(session, planned, road=None):
        calls.append(planned.code)
        if len(calls) == 2:
            raise services.ValidationError(
                "simulated failure while saving %(code)s", code=planned.code
            )
        return original(session, planned, road)

    monkeypatch.setattr(services, "save_planned_road", fail_on_second_road)
    result = app.test_cli_runner().invoke(args=["roads", "import", str(network_file)])
    assert result.exit_code != 0
    assert "nothing imported" in result.output
    assert _count(db_session, Road) == 0
    assert _count(db_session, ChainBreakRow) == 0


def test_a_changed_centreline_updates_the_road_and_bumps_its_version(app, db_session, tmp_path):
    path = tmp_path / "a.geojson"
    features = segment_features(
        "S9", "测试路", "3.双向", (87.0, 44.0), 90.0, [SampleSegment("0", "4", 4000)]
    )
    path.write_text(json.dumps({"features": features}), encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["roads", "import", str(path)]).exit_code == 0
    moved = segment_features(
        "S9", "测试路", "3.双向", (87.0, 44.0), 91.0, [SampleSegment("0", "4", 4000)]
    )
    path.write_text(json.dumps({"features": moved}), encoding="utf-8")
    result = runner.invoke(args=["roads", "import", str(path)])
    assert "roads updated: 1 S9/both" in result.output
    db_session.expire_all()
    assert services.get_road(db_session, "S9").geometry_version == 2


def test_not_geojson_is_refused_clearly(app, db_session, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text("not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["roads", "import", str(path)])
    assert result.exit_code != 0
    assert "is not a GeoJSON FeatureCollection" in result.output


def test_recompute_command_names_the_road(app, demo_roads):
    result = app.test_cli_runner().invoke(args=["roads", "recompute", "G30"])
    assert result.exit_code == 0, result.output
    assert "G30/up" in result.output
    missing = app.test_cli_runner().invoke(args=["roads", "recompute", "G999"])
    assert missing.exit_code != 0

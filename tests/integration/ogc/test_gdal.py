"""GDAL's OAPIF driver as an outside client: ogrinfo lists and reads the collections over HTTP."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from inspection.extensions import db
from inspection.hazards.models import Hazard
from inspection.network.models import Road
from inspection.patrols.models import Finding
from inspection.repairs.models import Repair
from inspection.sites.models import Site
from inspection.surveys.models import SurveyUnit

MODELS = {
    "roads": Road,
    "findings": Finding,
    "hazards": Hazard,
    "repairs": Repair,
    "survey_units": SurveyUnit,
    "sites": Site,
}
# Around the middle of the demo G30 (K3503–K3510) and nothing else.
BBOX = (87.62, 43.85, 87.72, 43.87)


def ogrinfo(live, *args: str, token: str | None = "default") -> subprocess.CompletedProcess:
    """Run ogrinfo on the served landing page, with the API token unless told otherwise."""
    program = shutil.which("ogrinfo")
    if program is None:
        pytest.fail(
            "ogrinfo is missing: install Debian's gdal-bin (scripts/setup.sh --test does).",
            pytrace=False,
        )
    command = [program, "-ro", f"OAPIF:{live.url}/ogc", *args]
    command += ["--config", "GDAL_HTTP_TIMEOUT", "30", "--config", "CPL_CURL_VERBOSE", "NO"]
    if token is not None:
        bearer = live.token if token == "default" else token
        command += ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {bearer}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def database_count(live, collection: str, bbox: tuple[float, ...] | None = None) -> int:
    model = MODELS[collection]
    with live.app.app_context():
        query = select(func.count()).select_from(model)
        if hasattr(model, "voided_at"):
            query = query.where(model.voided_at.is_(None))
        if bbox is not None:
            query = query.where(func.ST_Intersects(model.geom, func.ST_MakeEnvelope(*bbox, 4326)))
        count = db.session.scalar(query)
        db.session.remove()
        return count


def feature_count(output: str) -> int:
    match = re.search(r"^Feature Count: (\d+)$", output, re.MULTILINE)
    assert match, output
    return int(match.group(1))


def test_ogrinfo_lists_the_collections(live):
    result = ogrinfo(live, "-so")
    assert result.returncode == 0, result.stderr
    layers = re.findall(r"^\d+: (\w+)", result.stdout, re.MULTILINE)
    assert layers == [*MODELS, "patrol_coverage"]  # coverage is computed, tested on its own


@pytest.mark.parametrize("collection", list(MODELS))
def test_ogrinfo_counts_what_the_database_holds(live, collection):
    result = ogrinfo(live, "-so", collection)
    assert result.returncode == 0, result.stderr
    assert feature_count(result.stdout) == database_count(live, collection) > 0
    assert "Extent: (87." in result.stdout


@pytest.mark.parametrize("collection", ["findings", "roads", "survey_units"])
def test_ogrinfo_reads_the_features_in_a_bbox(live, collection):
    spat = [str(v) for v in BBOX]
    summary = ogrinfo(live, "-so", "-spat", *spat, collection)
    assert summary.returncode == 0, summary.stderr
    expected = database_count(live, collection, BBOX)
    assert 0 < expected < database_count(live, collection) or collection == "roads"
    assert feature_count(summary.stdout) == expected
    # Read every feature (GDAL pages through the next links, 10 at a time).
    features = ogrinfo(live, "-geom=SUMMARY", "-spat", *spat, collection)
    assert features.returncode == 0, features.stderr
    assert len(re.findall(rf"^OGRFeature\({collection}\):\d+$", features.stdout, re.M)) == expected
    if collection == "findings":
        assert "stake (String) = K3507+080" in features.stdout
        assert "K3605+000" not in features.stdout  # on G312, outside the bbox


def test_ogrinfo_without_the_token_is_refused(live):
    result = ogrinfo(live, "-so", token=None)
    assert result.returncode != 0
    assert "401" in result.stderr or "unauthorized" in result.stderr.lower()
    wrong = ogrinfo(live, "-so", token="insp_not-a-token")
    assert wrong.returncode != 0

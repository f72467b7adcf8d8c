"""The OpenAPI document of /api/v1/: built from the routes, valid, complete, and true to the API.

The last test runs schemathesis (a bounded, seeded run) against the app served on its own committed
database with an API token, and fails on any 5xx or any answer its schema does not allow. Its
hooks (`fuzz_hooks.py`) add hostile values to the generated cases: unicode digits, lone
surrogates, NUL, years 1 and 9999, huge integers, 1e300 and deeply nested bodies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from schemathesis.core.errors import LoaderError

from inspection.api.openapi import PREFIX, missing_descriptions
from tests.integration.ogc.conftest import serve_committed

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Bounded: at most this many generated cases per operation and phase, with a fixed seed.
MAX_EXAMPLES = 10
SEED = 20261125
CHECKS = (
    "not_a_server_error,response_schema_conformance,content_type_conformance,"
    "status_code_conformance"
)
# Revoking tokens by random id could revoke the run's own token and end the run early.
EXCLUDED_OPERATIONS = ("revoke_token",)


@pytest.fixture
def document(client) -> dict:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.content_type == "application/json"
    return answer.get_json()


def test_the_document_validates_against_the_openapi_schema(document):
    assert document["openapi"].startswith("3.0")
    schemathesis.openapi.from_dict(document).validate()
    broken = json.loads(json.dumps(document))
    first_path = next(iter(broken["paths"].values()))
    del next(iter(first_path.values()))["responses"]
    with pytest.raises(Exception, match="responses"):  # the validation does catch mistakes
        schemathesis.openapi.from_dict(broken).validate()


def test_every_api_route_is_in_the_document_with_a_description(app, document):
    assert missing_descriptions(app) == []
    documented = {
        (PREFIX[:-1] + path, method.upper())
        for path, methods in document["paths"].items()
        for method in methods
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "{" + argument + "}")
            path = path.replace(f"<{argument}>", "{" + argument + "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, (path, method)
    assert len(documented) == sum(
        len(r.methods - {"HEAD", "OPTIONS"})
        for r in app.url_map.iter_rules()
        if r.rule.startswith(PREFIX)
    )


def test_errors_and_the_bearer_token_are_described(document):
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message", "fields"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    for methods in document["paths"].values():
        for operation in methods.values():
            assert operation["summary"]
            if operation.get("security") == []:
                continue  # public: this document and its page
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
            assert any(code.startswith("2") for code in operation["responses"])


def test_the_docs_page_is_rendered_on_the_server(client, document):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    for path in document["paths"]:
        assert path.replace("{", "").split("}")[0] in html.replace("{", "")
    assert "/api/v1/openapi.json" in html
    assert "<script src" not in html.split("</footer>")[0]


def test_the_document_is_public_and_in_the_visitors_language(client):
    with client.session_transaction() as session:
        session["lang"] = "zh_CN"
    chinese = client.get("/api/v1/openapi.json").get_json()
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get("/api/v1/openapi.json").get_json()
    assert english["info"]["title"] == "Road inspection API"
    assert chinese["paths"].keys() == english["paths"].keys()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app on its own committed database, and a token holding every records role."""
    yield from serve_committed(tmp_path_factory, "openapi", ["patrol", "safety_officer", "manager"])


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(served):
    program = shutil.which("st") or str(Path(sys.executable).with_name("st"))
    if not Path(program).exists():
        pytest.fail("schemathesis is missing: pip install -r requirements-dev.txt", pytrace=False)
    try:
        schemathesis.openapi.from_url(f"{served.url}/api/v1/openapi.json").validate()
    except LoaderError as error:  # pragma: no cover - only when the server is broken
        pytest.fail(f"the served document did not load: {error}")
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / "schemathesis-report.json"
    command = [
        program,
        "run",
        f"{served.url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {served.token}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--checks",
        CHECKS,
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--warnings",
        "off",
        "--no-color",
    ]
    for operation in EXCLUDED_OPERATIONS:
        command += ["--exclude-operation-id", operation]
    root = Path(__file__).resolve().parents[2]
    hostile = ARTIFACTS / "fuzz-hooks.json"
    hostile.unlink(missing_ok=True)
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.integration.fuzz_hooks",
        "FUZZ_HOOKS_REPORT": str(hostile),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=ARTIFACTS, env=env
    )
    (ARTIFACTS / "schemathesis-output.txt").write_text(result.stdout + result.stderr)
    summary = json.loads(report.read_text(encoding="utf-8"))
    cases = summary["test_cases"]
    print(
        f"schemathesis: {summary['operations']['tested']} operations, "
        f"{cases['generated']} test cases, {cases['unique_failures']} unique failures, "
        f"{summary['running_time']:.1f} s (seed {SEED}, max {MAX_EXAMPLES} examples)"
    )
    made = json.loads(hostile.read_text(encoding="utf-8")) if hostile.exists() else {}
    print(f"schemathesis hostile cases (fuzz_hooks): {made}")
    failures = [
        line.strip()[:240]
        for line in result.stdout.splitlines()
        if line.startswith("___") or line.strip().startswith(("curl ", "- ST", "[5"))
    ]
    assert result.returncode == 0, "\n".join(failures) or result.stdout[-4000:]
    assert cases["unique_failures"] == 0
    assert summary["operations"]["tested"] >= 25
    assert min(made.get(sort, 0) for sort in ("query", "body field", "deep body")) > 0, made

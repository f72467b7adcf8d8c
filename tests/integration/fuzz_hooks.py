"""Schemathesis hooks for the API fuzzing run of `make test` (#12, item 7).

Loaded by `st run` through SCHEMATHESIS_HOOKS. Besides the cases schemathesis generates from
the document, each case may come out with one hostile value in place of a query parameter or a
body field, or with a body nested far deeper than any input: unicode digits, lone surrogates,
NUL, years 1 and 9999, 2^31, 2^63, 400 digits, 1e300. The dates and date-times the document
declares also take the extreme years. The server must answer each with a 4xx, never a 5xx.
"""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter

import schemathesis
from hypothesis import strategies as st

from tests import hostile_values

# How many hostile cases of each sort were made; written where FUZZ_HOOKS_REPORT says at exit,
# so the test can show (and check) that the hooks did run.
MADE: Counter = Counter()


@atexit.register
def _report() -> None:
    path = os.environ.get("FUZZ_HOOKS_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(dict(MADE), file)


EXTREME_DAYS = (*hostile_values.EXTREME_DAYS, "2000-01-01", "1999-12-31")
EXTREME_TIMES = (
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59Z",
    "1999-12-31T23:59:59+08:00",
    "2026-05-01T09:30:00",  # no time zone
)
# Text the query string can carry (a lone surrogate cannot be encoded into a URL).
QUERY_TEXT = (
    *hostile_values.QUERY_TEXT,
    hostile_values.NUL_TEXT,
    *EXTREME_DAYS,
    *EXTREME_TIMES,
)
BODY_VALUES = (
    *QUERY_TEXT,
    hostile_values.LONE_SURROGATE,
    "x\udfffy",
    2**31,
    2**63,
    -(2**63),
    10**400,
    1e300,
    -1e300,
    [],
    {},
    ["²"],
    {"x": "²"},
    True,
)
# The 100,000-deep JSON (200 kB, under the 1 MB body limit), written out as bytes.
DEEP_BODY = b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


schemathesis.openapi.format(
    "date",
    st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(EXTREME_DAYS)),
)
schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.datetimes(timezones=st.timezones()).map(lambda t: t.isoformat()),
        st.sampled_from(EXTREME_TIMES),
    ),
)


def _with_query(case, name: str, value: str):
    MADE["query"] += 1
    return case.derive(query={**case.query, name: value}, keep_auth=True)


def _with_field(case, name: str, value):
    MADE["body field"] += 1
    derived = case.derive(keep_auth=True)
    body = {**case.body, name: value}
    # A JSON body goes as its bytes: a lone surrogate is then the escape "\ud800" a client
    # sends, and schemathesis's own reports never have to print the raw character.
    derived.body = body if _multipart(case) else json.dumps(body).encode()
    return derived


def _with_body(case, value):
    MADE["deep body"] += 1
    derived = case.derive(keep_auth=True)
    derived.body = value
    return derived


def _multipart(case) -> bool:
    return "multipart" in (case.media_type or "")


@schemathesis.hook
def flatmap_case(context, case):
    """Keep the case, or put one hostile value into it, or nest its body far too deep."""
    options = [st.just(case)]
    if isinstance(case.query, dict) and case.query:
        options.append(
            st.builds(
                _with_query,
                st.just(case),
                st.sampled_from(sorted(case.query)),
                st.sampled_from(QUERY_TEXT),
            )
        )
    if isinstance(case.body, dict) and case.body:
        names = sorted(k for k, v in case.body.items() if not isinstance(v, bytes))
        values = QUERY_TEXT if _multipart(case) else BODY_VALUES
        if names:
            options.append(
                st.builds(
                    _with_field, st.just(case), st.sampled_from(names), st.sampled_from(values)
                )
            )
        if not _multipart(case):
            options.append(st.builds(_with_body, st.just(case), st.just(DEEP_BODY)))
    return st.one_of(options)

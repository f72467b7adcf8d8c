"""Only a path on this site is followed after an action."""

import pytest

from inspection.redirects import same_site_path


@pytest.mark.parametrize("target", ["/", "/roads/", "/hazards/?page=2&q=a", "/reports/annual#x"])
def test_site_paths_are_followed(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/x\\..\\\\evil",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\x00",
        " /roads/",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example/path",
    ],
)
def test_anything_else_is_refused(target):
    assert same_site_path(target) is None

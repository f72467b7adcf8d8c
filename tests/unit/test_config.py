import pytest

from inspection.config import ConfigError, from_environment


def test_missing_secret_key_outside_development_is_a_startup_error():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment({"INSPECTION_ENV": "production", "DATABASE_URL": "postgresql://x/y"})


def test_production_takes_every_setting_from_the_environment():
    config = from_environment(
        {
            "SECRET_KEY": "s3cret",
            "DATABASE_URL": "postgresql+psycopg://u@db/inspection",
            "MEDIA_ROOT": "/srv/media",
            "BRANCH_TIMEZONE": "Asia/Urumqi",
        }
    )
    assert config["SECRET_KEY"] == "s3cret"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/inspection"
    assert config["MEDIA_ROOT"] == "/srv/media"
    assert config["BRANCH_TIMEZONE"] == "Asia/Urumqi"
    # Production cookies travel only over HTTPS and never to scripts.
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_invents_a_random_key_but_never_a_fixed_one():
    first = from_environment({"INSPECTION_ENV": "development", "DATABASE_URL": "postgresql://x/y"})
    second = from_environment({"INSPECTION_ENV": "development", "DATABASE_URL": "postgresql://x/y"})
    assert first["SECRET_KEY"] != second["SECRET_KEY"]
    assert first["BABEL_DEFAULT_LOCALE"] == "zh_CN"


@pytest.mark.parametrize("hops", ["x", "-1", "²", "6", "1.5"])
def test_proxy_hops_must_be_a_small_whole_number(hops):
    with pytest.raises(ConfigError, match="PROXY_HOPS"):
        from_environment({"INSPECTION_ENV": "test", "DATABASE_URL": "x", "PROXY_HOPS": hops})


def test_proxy_hops_default_to_trusting_no_forwarded_header():
    assert from_environment({"INSPECTION_ENV": "test", "DATABASE_URL": "x"})["PROXY_HOPS"] == 0
    env = {"INSPECTION_ENV": "test", "DATABASE_URL": "x", "PROXY_HOPS": "1"}
    assert from_environment(env)["PROXY_HOPS"] == 1

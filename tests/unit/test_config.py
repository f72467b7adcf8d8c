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


def test_the_pool_pings_no_connection_unless_asked_and_recycles_them():
    base = {"SECRET_KEY": "s", "DATABASE_URL": "postgresql+psycopg://u@db/i"}
    options = from_environment(base)["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is False
    assert options["pool_recycle"] == 1800
    asked = from_environment({**base, "DB_POOL_PRE_PING": "1", "DB_POOL_RECYCLE": "600"})
    assert asked["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert asked["SQLALCHEMY_ENGINE_OPTIONS"]["pool_recycle"] == 600
    with pytest.raises(ConfigError, match="DB_POOL_PRE_PING"):
        from_environment({**base, "DB_POOL_PRE_PING": "yes"})

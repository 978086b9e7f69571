import pytest

from publisher.config import load_settings
from publisher.errors import ConfigError


def test_precedence_file_then_env_then_cli(tmp_path, monkeypatch):
    config = tmp_path / "aict.toml"
    config.write_text("port = 9000\nquery_timeout = 3\n")
    assert load_settings(config).port == 9000
    monkeypatch.setenv("AICT_PORT", "9100")
    assert load_settings(config).port == 9100
    assert load_settings(config, port=9200).port == 9200
    assert load_settings(config).query_timeout == 3


def test_bad_value_names_the_setting():
    with pytest.raises(ConfigError, match="port"):
        load_settings(port=0)


def test_unknown_setting_in_file_is_refused(tmp_path):
    config = tmp_path / "aict.toml"
    config.write_text("bogus = 1\n")
    with pytest.raises(ConfigError, match="bogus"):
        load_settings(config)

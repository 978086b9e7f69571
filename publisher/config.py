"""The one place where settings are declared.

Precedence: defaults, then the optional TOML config file (AICT_CONFIG or --config), then
AICT_* environment variables, then CLI flags (passed as keyword arguments by cli.py).
Every field has a type, a default and a description; docs/configuration.md and
aict.toml.example list them all, and tests check that they do.
"""

from __future__ import annotations

import os
import sys
import tomllib
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

from publisher.errors import ConfigError
from publisher.prefixes import BASE


def _project_root() -> Path:
    """The repository root, where ontology/, shapes/ and data/ live beside the package; for a
    non-editable install (pre-commit hook, GitHub action) the copies in <prefix>/share/aict."""
    source_tree = Path(__file__).resolve().parent.parent
    installed = Path(sys.prefix) / "share" / "aict"
    if not (source_tree / "ontology").is_dir() and (installed / "ontology").is_dir():
        return installed
    return source_tree


PROJECT_ROOT = _project_root()
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
VOCABULARIES_DIR = ONTOLOGY_DIR / "vocabularies"
# Copies of the vocabularies our concepts align to (UN SDG KOS): the tests' reference, never
# published (the UN publishes them; our copy keeps the source's stray spaces and repeated labels).
EXTERNAL_DIR = ONTOLOGY_DIR / "external"
SHAPES_DIR = PROJECT_ROOT / "shapes"
DATA_DIR = PROJECT_ROOT / "data"
DATASET_DIR = DATA_DIR / "dataset"
REPORTS_DIR = DATA_DIR / "reports"
SOURCES_DIR = DATA_DIR / "sources"
# The découpage administratif copy under SOURCES_DIR (French authorities of reference).
REFERENCE_DIR = "decoupage-administratif-6.0.0"
EXAMPLES_DIR = DATA_DIR / "examples"
TEMPLATES_DIR = DATA_DIR / "templates"


@cache  # every page's footer shows it: reading the distribution's metadata took 1 ms
def package_version() -> str:
    """The version, read from the installed distribution (pyproject.toml is its only home)."""
    try:
        return metadata.version("aict-publisher")
    except metadata.PackageNotFoundError:  # running from a source tree that was not installed
        text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
        return tomllib.loads(text)["project"]["version"]


def locale_language() -> str:
    """fr when the user's locale is French (LC_ALL, then LANG), else en."""
    for variable in ("LC_ALL", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


class Settings(BaseSettings):
    """Settings of the publisher, the validator and the importer."""

    model_config = SettingsConfigDict(env_prefix="AICT_", extra="forbid")

    # --- publishing -------------------------------------------------------------------
    base_iri: str = Field(BASE, description="Canonical base of the IRIs in the data.")
    public_base: str | None = Field(
        None,
        description="Base under which the data is served (e.g. https://data.example.org/). "
        "Unset: the base is taken from each request's host, for local and staging use.",
    )
    host: str = Field("127.0.0.1", description="Interface the server binds to.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port the server listens on.")
    data_paths: list[Path] = Field(
        default_factory=list,
        description="RDF files or folders to publish; empty means the bundled dataset.",
    )
    store_dir: Path | None = Field(
        None,
        description="Directory of an on-disk Oxigraph store; unset means in memory. "
        "An existing store is opened without reloading the files.",
    )
    cache_dir: Path | None = Field(
        default_factory=lambda: default_cache_dir(),
        description="Where `aict serve` without files or --store builds the bundled data's "
        "store once (one directory per data version), so later starts open it at once "
        "(default: $XDG_CACHE_HOME/aict or ~/.cache/aict); empty: load it into memory at "
        "each start.",
    )
    store_endpoint: str | None = Field(
        None,
        pattern=r"^https?://",
        description="SPARQL query URL of a remote store to publish instead of the embedded "
        "one (its default graph must be the union of its named graphs); no file is loaded.",
    )
    access_log: bool = Field(
        False,
        description="Log one line per HTTP request (uvicorn's access log); off by default as "
        "it costs a tenth of a small SPARQL query's time.",
    )
    page_size: int = Field(
        100,
        ge=1,
        le=10000,
        description="Incoming links shown per page of a resource's description (?page=N).",
    )
    answer_cache_bytes: int = Field(
        64_000_000,
        ge=0,
        description="Bytes of finished answers (pages, RDF documents, catalog) each serving "
        "process keeps to answer identical requests without rendering again; 0: none.",
    )
    cache_max_age: int = Field(
        300, ge=0, description="Seconds clients and proxies may reuse a response (Cache-Control)."
    )
    publisher_name: str = Field(
        "AICT linked open data project",
        min_length=1,
        description="Name of the publisher given in the DCAT catalog (dct:publisher).",
    )
    # --- SPARQL safety ---------------------------------------------------------------
    query_timeout: float = Field(
        10.0, gt=0, description="Seconds a SPARQL query may run; clients may only lower it."
    )
    result_limit: int = Field(
        10000, ge=1, description="Rows or triples returned at most; more is flagged."
    )
    max_body_bytes: int = Field(
        1_000_000, ge=1024, description="Largest request body accepted, in bytes."
    )
    query_workers: int = Field(
        2,
        ge=1,
        le=64,
        description="SPARQL queries evaluated at once: threads of each serving process, or "
        "worker processes when the server runs as one process.",
    )
    processes: int = Field(
        default_factory=lambda: min(os.cpu_count() or 1, 4),
        ge=1,
        le=64,
        description="Serving processes of `aict serve` (default: one per CPU, at most 4). "
        "Used when SPARQL Update is off, the data in memory or in a store directory; "
        "otherwise one process with query worker processes.",
    )
    update_token: str | None = Field(
        None, description="Bearer token enabling SPARQL Update; unset keeps the store read-only."
    )
    service_allowlist: list[str] = Field(
        default_factory=list,
        description="IRIs that SERVICE or FROM may reach; empty refuses every remote call.",
    )
    # --- validation --------------------------------------------------------------------
    max_input_bytes: int = Field(
        50_000_000, ge=1024, description="Largest input file the validator or importer reads."
    )
    validation_timeout: float = Field(
        30.0,
        gt=0,
        le=600,
        description="Seconds a POST /validate may wait and run before the server answers 503.",
    )
    lang: str = Field(
        default_factory=locale_language,
        pattern="^(en|fr)$",
        description="Language of messages: en or fr. Unset: fr when LC_ALL or LANG starts "
        "with fr, else en.",
    )

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_means_off(cls, value: object) -> object:
        return None if value == "" else value


def default_cache_dir() -> Path:
    """The per-user cache folder (XDG base directories)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aict"


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Build Settings: defaults < TOML config file < AICT_* environment < overrides (CLI)."""
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"config file not found: {config_file}")
    cli_values = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(cli_values) - set(Settings.model_fields)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    try:
        return _settings_class(config_file)(**cli_values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
    except (OSError, ValueError) as exc:  # unreadable or malformed TOML
        raise ConfigError(f"cannot read config file {config_file}: {exc}") from None


def _settings_class(config_file: Path | None) -> type[Settings]:
    """A Settings subclass whose sources put the TOML file between defaults and env."""
    if config_file is None:
        return Settings

    class FileSettings(Settings):
        model_config = SettingsConfigDict(env_prefix="AICT_", extra="forbid", toml_file=config_file)

        @classmethod
        def settings_customise_sources(
            cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
        ):
            return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    return FileSettings


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment only; FastAPI dependency, overridable in tests."""
    return load_settings()

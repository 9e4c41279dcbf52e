"""Settings: every knob in one place, read from the environment (and `.env`)."""

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class MissingSecretKey(RuntimeError):
    """Production must never sign tokens with a key nobody chose."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Environment = Field(Environment.development, alias="TECHX_ENV")
    database_url: str | None = Field(
        None, description="postgresql+psycopg://…; unset = embedded PostgreSQL in var_dir/pgdata"
    )
    var_dir: Path = Field(Path("var"), description="Local state: embedded PG data, dev secret")
    secret_key: str | None = Field(None, description="Signs JWTs; required in production")
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=list)

    access_token_ttl_minutes: int = 30
    refresh_token_ttl_days: int = 30
    client_token_ttl_minutes: int = 60
    invitation_ttl_days: int = 14
    password_reset_ttl_minutes: int = 60

    login_max_failures: int = Field(5, description="Failures per account within the window")
    login_max_failures_per_address: int = 20
    login_window_seconds: int = 900

    mailer: str = Field("log", description="'log' (writes mails to the log) or 'smtp'")
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "san-giao-dich-cong-nghe@localhost"

    upload_dir: Path = Path("var/uploads")
    max_upload_bytes: int = 20 * 1024 * 1024
    stale_after_days: int = 90

    meili_url: str | None = None
    meili_key: str | None = None
    meili_index_prefix: str | None = Field(None, description="Defaults to the environment name")

    # Matching (app/matching/scoring.py): score = Σ weight × factor / Σ weights.
    match_weight_text: float = Field(0.45, ge=0)
    match_weight_sector: float = Field(0.15, ge=0)
    match_weight_trl_fit: float = Field(0.10, ge=0)
    match_weight_ip_clarity: float = Field(0.07, ge=0)
    match_weight_valuation: float = Field(0.05, ge=0)
    match_weight_price: float = Field(0.08, ge=0)
    match_weight_region: float = Field(0.05, ge=0)
    match_weight_freshness: float = Field(0.05, ge=0)
    match_candidate_pool: int = Field(50, ge=1, le=100, description="Hits per retrieval query")
    match_stats_ttl_seconds: float = Field(
        300.0, ge=0, description="Matcher reuses its keyword lexicon and catalogue counts (0: off)"
    )
    match_alert_threshold: float = Field(0.6, ge=0, le=1, description="Score that alerts owners")
    match_alert_min_text: float = Field(
        0.2, ge=0, le=1, description="Alerts also need this much text relevance"
    )
    match_alert_lookback_hours: int = Field(
        24, ge=0, description="First alerts run: publications this recent are still alerted"
    )
    alerts_poll_seconds: float = Field(60.0, gt=0, description="`techx alerts` loop interval")

    seed_demo_on_first_start: bool = True
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _secret_key_in_production(self) -> "Settings":
        if self.environment is Environment.production and not self.secret_key:
            raise MissingSecretKey(
                "SECRET_KEY is not set. In production techx refuses to start without it: "
                "set SECRET_KEY to a long random string (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`)."
            )
        return self

    @property
    def pgdata_dir(self) -> Path:
        return self.var_dir / "pgdata"

    @property
    def index_prefix(self) -> str:
        return self.meili_index_prefix or self.environment.value

    def signing_key(self) -> str:
        """The JWT key; outside production an unset key is generated once and kept in var_dir."""
        if self.secret_key:
            return self.secret_key
        key_file = self.var_dir / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        self.secret_key = key_file.read_text().strip()
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    return Settings()

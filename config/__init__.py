"""Process-wide configuration: the one Settings object and the offline switches (imported first by everything)."""

from config.offline import enforce_offline
from config.settings import Settings, env_overrides, get_settings, reset_settings, set_env

enforce_offline()

__all__ = ["Settings", "get_settings", "reset_settings", "set_env", "env_overrides", "enforce_offline"]

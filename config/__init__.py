"""Process-wide configuration: the one Settings object and the offline switches (imported first by everything)."""

from config.offline import enforce_offline
from config.settings import Settings, get_settings, reset_settings

enforce_offline()

__all__ = ["Settings", "get_settings", "reset_settings", "enforce_offline"]

"""Reading the environment, shared by the settings modules."""

import os


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SERVICE_NAME = os.environ.get("SERVICE_NAME", "Home care commissioning")
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Demo City Council")

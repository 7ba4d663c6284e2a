"""The service: the REST API (`app.py`), background ingest jobs (`jobs.py`) and, mounted beside them, the web UI
(`onrecord.web`); `onrecord serve` runs it with uvicorn."""
from .app import ServiceSettings, create_app

__all__ = ["ServiceSettings", "create_app"]

"""Where the project's own files are: templates beside the package, data in the configured folder."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
DATA = PROJECT_ROOT / "data"

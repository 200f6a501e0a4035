"""The version of cardwright: the one place it is written (pyproject.toml reads it from here)."""

__version__ = "0.1.0"


def tool_version() -> str:
    """The version recorded in results files, exports and site manifests."""
    return __version__

"""Where legday keeps its data when ``LEGDAY_DATA_DIR`` does not say: the platform's per-user data
folder, never the current directory (a command run from another folder must find the same data).

- Linux and other Unix: ``$XDG_DATA_HOME/legday``, else ``~/.local/share/legday``
- macOS: ``~/Library/Application Support/legday``
- Windows: ``%LOCALAPPDATA%\\legday``

The container image and the systemd units set ``LEGDAY_DATA_DIR=/var/lib/legday``. Standard
library only (the command line's help names the default).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP = "legday"
OLD_DEFAULT = Path("legday-data")  # earlier versions: relative to wherever the command ran


def default_data_dir(
    environ: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None
) -> Path:
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        local = environ.get("LOCALAPPDATA")
        if local:
            return Path(local) / APP
        return _home(home) / "AppData" / "Local" / APP
    if platform == "darwin":
        return _home(home) / "Library" / "Application Support" / APP
    xdg = environ.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / APP
    return _home(home) / ".local" / "share" / APP


def _home(home: Path | None) -> Path:
    if home is not None:
        return home
    try:
        return Path.home()
    except RuntimeError:  # no HOME and no passwd entry (a bare service user)
        raise RuntimeError(
            "cannot tell where to keep legday's data (no home folder): set LEGDAY_DATA_DIR"
        ) from None

"""The core stays pure: only the Telegram adapter package imports `telegram`."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO_DIR

ADAPTER = "bot.telegram_adapter"


def test_core_modules_never_import_telegram() -> None:
    core = sorted(
        "bot." + ".".join(path.relative_to(REPO_DIR / "bot").with_suffix("").parts)
        for path in (REPO_DIR / "bot").rglob("*.py")
        if path.stem != "__main__"
    )
    core = [module for module in core if module != ADAPTER and not module.startswith(ADAPTER + ".")]
    code = f"import importlib, sys\nfor m in {core!r}: importlib.import_module(m)\nprint('telegram' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert len(core) >= 15

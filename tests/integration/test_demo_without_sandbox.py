"""A production install leaves the sandbox out; `hearback demo` then says how to get it."""

from __future__ import annotations

import subprocess
import sys

# sys.modules[name] = None is how Python itself marks a package as absent for this process.
WITHOUT_SANDBOX = (
    "import sys; sys.modules['sandbox'] = None; "
    "from bot.cli import main; raise SystemExit(main(['demo']))"
)


def test_demo_without_the_sandbox_explains_how_to_install_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_SANDBOX], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert 'pip install "hearback[demo]"' in done.stderr
    assert "make demo" in done.stderr
    assert "Traceback" not in done.stderr

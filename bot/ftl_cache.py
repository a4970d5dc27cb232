"""Parsed Fluent files, kept beside them in __pycache__ as Python keeps compiled modules.

Parsing the locale files took about 0.35 s of CPU at every start, on the event loop, while the
first customers waited for an answer; reading a kept parse takes a few milliseconds. A kept
parse serves only the same text parsed by the same fluent.syntax under the same Python. Where
it cannot be written (a read-only install) each start parses, as before; one that cannot be
read is parsed again. PYTHONDONTWRITEBYTECODE does not stop it: container images often set it,
and they are where a restart should be quickest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from fluent.syntax import FluentParser, parser
from fluent.syntax.ast import Resource

CACHE = "__pycache__"


def _parser_stamp() -> str:
    """Which fluent.syntax parses (an upgrade replaces its files): cheaper than its metadata."""
    found = os.stat(parser.__file__)
    return f"{parser.__file__}:{found.st_size}:{found.st_mtime_ns}:{sys.version}"


def parsed(path: Path) -> Resource:
    """The Fluent file at `path`, parsed (or as it was parsed before, if it is unchanged)."""
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(f"{_parser_stamp()}\0{text}".encode()).hexdigest()[:20]
    kept = path.parent / CACHE / f"{path.name}.{digest}.pickle"
    with contextlib.suppress(Exception):  # missing, half-written or from elsewhere: parse
        # Trusted as a .pyc is: whoever can write beside the bot's files can change its code.
        resource = pickle.loads(kept.read_bytes())
        if isinstance(resource, Resource):
            return resource
    resource = FluentParser().parse(text)
    _keep(kept, resource, path.name)
    return resource


def _keep(kept: Path, resource: Resource, source: str) -> None:
    """Write the parse atomically (several processes may start at once); drop older ones."""
    with contextlib.suppress(OSError):
        kept.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=kept.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(pickle.dumps(resource, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, kept)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        for old in kept.parent.glob(f"{source}.*.pickle"):
            if old != kept:
                with contextlib.suppress(OSError):
                    old.unlink()

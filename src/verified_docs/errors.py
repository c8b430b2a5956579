"""The one error the engine raises: a message that names the file (and line) to fix.

Under MkDocs or ProperDocs it is a `PluginError`, so the build stops with the message alone
("Aborted with a BuildError!") instead of a traceback; under any other generator, or none, it
is a plain exception. This is the only place the engine looks at MkDocs outside its plugin.
"""

from __future__ import annotations

try:  # the generator's error class, if there is one: a clean stop with the message
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover - Zensical or plain Python-Markdown without MkDocs
    _Base = Exception


class EngineError(_Base):
    """Bad input: the message says which file, which line and what to do."""

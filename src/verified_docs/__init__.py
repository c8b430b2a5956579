"""verified_docs: a Markdown site whose maths is typeset at build time and whose results are
proved by tests that run on every build.

- `verified_docs.extension`: the Python-Markdown extension (claims, equation numbers, KaTeX);
- `verified_docs.pytest_plugin`: the pytest plugin (the claim contract, the results file);
- `verified_docs.mkdocs_plugin`: the MkDocs/ProperDocs plugin, which calls `verified_docs.steps`;
- `verified_docs.verify`: the checking helper tests use (exact equality, finite differences).

Snippet modules need only `Claim`. See README.md beside this file.
"""

from .contract import Claim

__all__ = ["Claim"]

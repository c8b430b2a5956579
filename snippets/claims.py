"""Claim registry: every result shown on a page has an id, defined once next to its code.

A snippet module lists its results in ``CLAIMS`` (outside the sections pages show):

    CLAIMS = [Claim("newton.step", "The first Newton step from the origin", value=...)]

A page marks the display equation that states a result with ``\\claim{newton.step}``. The
build (hooks/claims.py) turns the marker into ``data-claim="newton.step"`` on the rendered
equation and refuses unknown or unused ids; tests marked ``@pytest.mark.claim(id, kind)``
prove it; the ledger page lists every claim with the status of its checks.

Only runtime dependencies are imported here: the build reads these definitions.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)+")
KINDS = ("symbolic", "numeric", "displayed")


@dataclass(frozen=True)
class Claim:
    """One result.

    value: the sympy expression (scalar or Matrix) that the checks verified; the displayed-form
        test compares each side of the page's equation after the first with it.
    approx: the page shows the value rounded; compare to the last displayed digit.
    tex: for results sympy cannot parse from TeX (matrix calculus), a function returning the
        TeX to show; the page writes ``\\verified`` where it goes and the build fills it in.
    operands: the matrices a displayed product is built from. A digit changed in an operand
        can leave the product unchanged (it may multiply a zero), so each matrix written in the
        equation must also equal one of these, or the value itself.
    """

    id: str
    statement: str
    value: Callable[[], object] | None = None
    approx: bool = False
    tex: Callable[[], str] | None = None
    operands: Callable[[], list] | None = None

    def __post_init__(self):
        if not ID.fullmatch(self.id):
            raise ValueError(f"claim id {self.id!r} must look like 'page.result' (lowercase, dots or hyphens)")
        if self.value is not None and self.tex is not None:
            raise ValueError(f"claim {self.id}: give value (parsed from the page) or tex (generated), not both")

    @property
    def module(self) -> str:
        return self.id.split(".", 1)[0]


def discover(package: str = "snippets") -> dict[str, tuple[Claim, str]]:
    """Every claim defined under snippets/, as id -> (claim, defining module)."""
    found: dict[str, tuple[Claim, str]] = {}
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        module = importlib.import_module(info.name)
        for claim in getattr(module, "CLAIMS", []):
            if claim.id in found:
                raise ValueError(f"claim {claim.id!r} is defined twice: in {found[claim.id][1]} and {info.name}")
            found[claim.id] = (claim, info.name)
    return found

"""法律规则 — the statute as data, with no Django imports.

Pure Python: penalty types and severity (:mod:`law.penalties`), working days
(:mod:`law.calendar`), every time limit (:mod:`law.limits`), the substantive rules
(:mod:`law.rules`) and identifier validators (:mod:`law.validators`). Each rule cites its
statute and article; import from the submodules.
"""

from __future__ import annotations

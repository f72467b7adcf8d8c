"""Read and write stakes (桩号): ``K3456+780.5`` ⇄ 3,456,780.5 m of nominal chainage.

Accepted text, after Unicode NFKC normalisation (full-width ``Ｋ１２＋３４５`` becomes ``K12+345``),
removal of all whitespace and upper-casing:

- ``K<km>+<mmm>`` or ``K<km>+<mmm>.<fraction>``: kilometres are one or more digits (leading zeros
  allowed), metres are **exactly three digits** before an optional decimal fraction. ``K12+5`` is
  rejected rather than guessed: people write it meaning both K12+005 and K12+500.
- ``<km>+<mmm>`` without the ``K`` is accepted: the ``+`` followed by three digits says
  unambiguously which part is kilometres and which is metres.
- A bare number (``12345``, ``12.345``) is rejected: it could be kilometres or metres.

Formatting always writes the canonical form: ``K``, kilometres without leading zeros, ``+``, three
metre digits and the requested number of decimals, rounded half up (四舍五入) with the carry into
the kilometres (999.6 m → ``K1+000``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from inspection.errors import N_, ValidationError

_STAKE = re.compile(r"K?(?P<km>\d+)\+(?P<m>\d+)(?:\.(?P<fraction>\d+))?", re.ASCII)
_NEGATIVE = re.compile(r"K?[-−]", re.ASCII)
_MISSING_METRES = re.compile(r"K?\d+\+", re.ASCII)
_BARE_NUMBER = re.compile(r"\d+(?:\.\d*)?", re.ASCII)
_METRES_WITH_DOT = re.compile(r"K?\d+\+\d+\.", re.ASCII)
_KM_ONLY = re.compile(r"K\d+(?:\.\d*)?", re.ASCII)


def parse_stake(text: str) -> float:
    """Return the chainage in metres that stake text such as ``K3456+780.5`` stands for."""
    shown = text.strip()
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    if not compact:
        raise ValidationError(N_("Stake is empty; write it like K12+345."))
    match = _STAKE.fullmatch(compact)
    if match is None:
        raise ValidationError(_why_malformed(compact), text=shown)
    metres = match["m"]
    if len(metres) > 3:
        raise ValidationError(
            N_("Stake %(text)s: metres after '+' must be below 1000, written with three digits."),
            text=shown,
        )
    if len(metres) < 3:
        raise ValidationError(
            N_(
                "Stake %(text)s: metres after '+' must have three digits, like K12+005 "
                "for 5 m or K12+500 for 500 m."
            ),
            text=shown,
        )
    value = Decimal(match["km"]) * 1000 + Decimal(f"{metres}.{match['fraction'] or '0'}")
    return float(value)


def _why_malformed(compact: str) -> str:
    """Return the message template explaining why normalised stake text does not parse."""
    if _NEGATIVE.match(compact):
        return N_("Stake %(text)s: kilometres cannot be negative.")
    if _MISSING_METRES.fullmatch(compact):
        return N_("Stake %(text)s: metres are missing after '+'; write it like K12+345.")
    if _METRES_WITH_DOT.fullmatch(compact):
        return N_("Stake %(text)s: the decimal point must be followed by digits, like K12+345.5.")
    if _KM_ONLY.fullmatch(compact):
        return N_("Stake %(text)s: '+' and the metres are missing; write it like K12+345.")
    if _BARE_NUMBER.fullmatch(compact):
        return N_(
            "Stake %(text)s: a number without '+' could be kilometres or metres; "
            "write it like K12+345."
        )
    return N_("Stake %(text)s is not a stake; write it like K12+345 or K12+345.5.")


def format_stake(metres: float, decimals: int = 0) -> str:
    """Write a chainage in metres as canonical stake text, e.g. 3456780.5 → ``K3456+780.5``."""
    if decimals < 0:
        raise ValueError("decimals must be zero or more")
    if not math.isfinite(metres):
        raise ValidationError(N_("Chainage %(metres)s is not a number."), metres=metres)
    if metres < 0:
        raise ValidationError(
            N_("Chainage %(metres)s m is negative; stakes start at K0+000."), metres=metres
        )
    # Round the shortest decimal form half up, as people do by hand (2.675 → 2.68), and only
    # then split, so that the carry reaches the kilometres (999.6 → K1+000).
    total = Decimal(repr(float(metres))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    km, rest = divmod(total, 1000)
    width = 3 + (decimals + 1 if decimals else 0)
    return f"K{int(km)}+{rest:0{width}.{decimals}f}"

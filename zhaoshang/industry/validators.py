"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from the alphabet 0-9 and A-Z without I, O, Z, S, V:
1 registration authority, 2 entity type, 3-8 administrative division code
(digits), 9-17 organization code, 18 check character computed over the first
17 with weights 3^i mod 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


def uscc_check_character(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def clean_uscc(value: str) -> str:
    """Upper-case, strip spaces and full-width forms."""
    value = "".join(value.split())
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in value).upper()


def validate_uscc(value: str) -> None:
    code = clean_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s (I, O, Z, S and V are never used)."),
            code="uscc_chars",
            params={"chars": ", ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code must be digits (the region code)."), code="uscc_region"
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong (probably a typo): "
                "expected %(expected)s."
            ),
            code="uscc_check",
            params={"expected": expected},
        )


def make_uscc(rng, region: str = "440700", kind: str = "91") -> str:
    """A well-formed code for demo and test data (random organization code, correct check character)."""
    body = kind + region + "".join(rng.choice(ALPHABET[:10] + ALPHABET[10:]) for _ in range(9))
    return body + uscc_check_character(body)

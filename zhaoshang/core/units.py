"""Units of money and land. Money is stored in 万元 and land in 亩, as Decimal.

1 亿元 = 10,000 万元; 1 亩 = 10,000/15 m² ≈ 666.67 m²; 1 公顷 = 15 亩 = 10,000 m².
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)
YUAN_PER_WAN = Decimal(10000)
MU_PER_HECTARE = Decimal(15)
SQM_PER_HECTARE = Decimal(10000)
SQM_PER_MU = SQM_PER_HECTARE / MU_PER_HECTARE  # 666.666…; the published 666.67 is this rounded
SQM_PER_SQKM = Decimal(1_000_000)


def _d(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def quantize(value, places: int = 2) -> Decimal:
    """Round half up (the convention of Chinese statistical tables) to ``places`` decimals."""
    return _d(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan_to_yi(wan) -> Decimal:
    return _d(wan) / WAN_PER_YI


def yi_to_wan(yi) -> Decimal:
    return _d(yi) * WAN_PER_YI


def yuan_to_wan(yuan) -> Decimal:
    return _d(yuan) / YUAN_PER_WAN


def wan_to_yuan(wan) -> Decimal:
    return _d(wan) * YUAN_PER_WAN


def mu_to_sqm(mu) -> Decimal:
    return _d(mu) * SQM_PER_MU


def sqm_to_mu(sqm) -> Decimal:
    return _d(sqm) / SQM_PER_MU


def hectare_to_mu(hectare) -> Decimal:
    return _d(hectare) * MU_PER_HECTARE


def mu_to_hectare(mu) -> Decimal:
    return _d(mu) / MU_PER_HECTARE


def sqkm_to_mu(sqkm) -> Decimal:
    return sqm_to_mu(_d(sqkm) * SQM_PER_SQKM)


def mu_to_sqkm(mu) -> Decimal:
    return mu_to_sqm(mu) / SQM_PER_SQKM

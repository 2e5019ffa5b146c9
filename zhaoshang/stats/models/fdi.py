"""Foreign capital actually paid in (实际利用外资)."""

__all__ = []

"""Investment conferences and ceremonies (招商大会, 集中签约/动工/投产)."""

__all__ = []

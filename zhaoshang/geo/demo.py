from .services import load_regions


def load(ctx):
    load_regions(ctx.city_adcode)

"""Helpers shared by the tests of every app."""


def form_data(response, **changes):
    """What the browser sends back from the form a page showed, with some fields changed."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None:
            continue
        data[field.name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data.update(changes)
    return data

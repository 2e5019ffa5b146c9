"""Helpers shared by the tests of every app."""

from contextlib import contextmanager


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


def at_once(*calls):
    """Run each call in its own thread, all released together by a barrier; their results, in order.

    Each thread has its own database connection (as each request of a real server has), closed when it ends. An
    exception a call raises is returned in its place, so that the caller asserts on every outcome.
    """
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # handed back to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@contextmanager
def file_database(path):
    """The default database as a file, for tests whose threads must really write at the same moment.

    pytest-django keeps SQLite's test database in memory, where connections share one cache and lock whole
    tables, unlike a server's. Within the block the database is a copy of it in ``path`` (every thread's
    connection opens the file, as the server's would); the in-memory one is left as it was. PostgreSQL's test
    database is already a real one: nothing changes.
    """
    import sqlite3

    from django.db import connections

    memory = connections["default"]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    memory.ensure_connection()
    copy = sqlite3.connect(path)
    memory.connection.backup(copy)
    copy.close()
    settings = connections.settings["default"]
    connections.settings["default"] = {**settings, "NAME": str(path)}
    on_file = connections.create_connection("default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections["default"] = memory
        connections.settings["default"] = settings


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Every font the pages of a PDF use, by name, and whether the file carries its glyphs.

    A font is embedded when its descriptor holds a font program (FontFile, FontFile2 or FontFile3); a composite
    (Type0) font is judged by its descendant font. The base-14 fonts (Helvetica…) and CID fonts such as
    STSong-Light have no program in the file: a reader without them substitutes another font or shows boxes.
    Fonts of form XObjects are included.
    """
    import io

    from pypdf import PdfReader

    def embedded(font) -> bool:
        if font.get("/Subtype") == "/Type0":
            return all(embedded(descendant.get_object()) for descendant in font["/DescendantFonts"])
        if font.get("/Subtype") == "/Type3":
            return True  # glyphs drawn by the file's own content streams
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))

    fonts: dict[str, bool] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font.get("/BaseFont"))] = embedded(font)
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        visit(page.get("/Resources"))
    return fonts

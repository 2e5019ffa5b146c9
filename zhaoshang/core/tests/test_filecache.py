"""The file cache counts its entries once every CULL_EVERY writes, not at every write, and still keeps its size."""

from zhaoshang.core.filecache import FileCache


def test_the_file_cache_lists_its_folder_once_every_cull_every_writes_and_stays_near_max_entries(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 20, "CULL_EVERY": 8}})
    listings = []
    listed = cache._list_cache_files
    cache._list_cache_files = lambda: listings.append(1) or listed()
    for n in range(200):
        cache.set(f"page-{n}", "x" * 10)
        assert len(listed()) <= 20 + 8
    assert len(listings) == 200 // 8  # Django's lists the folder at each of the 200 writes
    assert cache.get("page-199") == "x" * 10


def test_every_write_counts_with_cull_every_one(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_EVERY": 1}})
    for n in range(50):
        cache.set(f"page-{n}", n)
        assert len(cache._list_cache_files()) <= 10

"""The main public and work pages of the demo city, asked for in English, show no Chinese in their labels.

Data entered only in Chinese (a person's name, a company without an English name) may stay Chinese in the page's
content; labels may not: form labels, table headers, buttons, the empty choice of a select and the page title
(less the name of the record it shows, when that has no English form) come from the translation catalog.
"""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from zhaoshang.geo.models import Carrier, Park
from zhaoshang.portal.models import Guide, Inquiry, Policy
from zhaoshang.projects.models import Project

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAGS = re.compile(r"<[^>]+>")
LABELLED = re.compile(r"<(label|th|button|title)\b[^>]*>(.*?)</\1>", re.S | re.I)
OPTION = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.S | re.I)
LANGUAGE_SWITCH = re.compile(r"<button\b[^>]*data-testid=\"switch-language\"[^>]*>.*?</button>", re.S)


def text(fragment: str) -> str:
    return " ".join(unescape(TAGS.sub(" ", fragment)).split())


def labels(page: str, data: tuple[str, ...] = ()) -> list[str]:
    """The labels of ``page``, as "<tag> text": form labels, table headers, buttons, the title and the empty
    choices of selects, less the names in ``data`` (data without English form) and the switch back to Chinese
    (which names its language in Chinese, as language switches do)."""
    page = LANGUAGE_SWITCH.sub("", page)
    found = []
    for tag, inner in LABELLED.findall(page):
        label = text(inner)
        for name in data:
            label = label.replace(name, "")
        found.append(f"<{tag.lower()}> {label}")
    for attributes, inner in OPTION.findall(page):
        if re.search(r"""value=(""|'')""", attributes) or "value" not in attributes:
            found.append(f"<option> {text(inner)}")
    return found


def chinese_labels(page: str, data: tuple[str, ...] = ()) -> list[str]:
    """The labels of ``page`` with Chinese in them, or that read Django's untranslated "---------"."""
    return [label for label in labels(page, data) if CJK.search(label) or "---" in label]


def english(client: Client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="en"' in page, url
    return page


def untranslated(obj, *fields) -> tuple[str, ...]:
    """The values of ``fields`` of ``obj`` that have no English form (``<field>_en`` empty or absent)."""
    return tuple(
        str(getattr(obj, name)) for name in fields if getattr(obj, name) and not getattr(obj, f"{name}_en", "")
    )


@pytest.fixture
def officer(demo):
    client = Client()
    client.force_login(demo.data["users"]["centre"])
    return client


def test_the_main_public_pages_label_everything_in_english(demo, db):
    investor = Client()
    park = Park.objects.filter(published=True).order_by("pk").first()
    site = Carrier.objects.filter(published=True).order_by("pk").first()
    guide = Guide.objects.order_by("pk").first()
    policy = Policy.objects.order_by("pk").first()
    pages = {
        "/": (),
        reverse("portal:map"): (),
        f"{reverse('portal:search')}?kind=park": (),
        f"{reverse('portal:search')}?q={quote(park.name_en)}": untranslated(park, "name"),
        park.get_absolute_url(): untranslated(park, "name"),
        site.get_absolute_url(): untranslated(site, "name"),
        reverse("portal:guide-list"): (),
        guide.get_absolute_url(): untranslated(guide, "title"),
        reverse("portal:policy-list"): (),
        policy.get_absolute_url(): untranslated(policy, "title"),
    }
    read = {url: english(investor, url) for url in pages}
    problems = {url: found for url, data in pages.items() if (found := chinese_labels(read[url], data))}
    assert not problems
    assert any(label.startswith("<title> ") for label in labels(read[policy.get_absolute_url()]))


def test_the_main_work_pages_label_everything_in_english(demo, db, officer):
    project = Project.objects.order_by("pk").first()
    inquiry = Inquiry.objects.order_by("pk").first()
    pages = {
        reverse("projects:project-list"): (),
        project.get_absolute_url(): (project.name,),
        reverse("portal:inquiry-inbox"): (),
        reverse("stats:dashboard"): (),
    }
    if inquiry is not None:
        pages[inquiry.get_absolute_url()] = (inquiry.company,)
    read = {url: english(officer, url) for url in pages}
    problems = {url: found for url, data in pages.items() if (found := chinese_labels(read[url], data))}
    assert not problems
    # the check looked at what it means to: the list's headers and the empty choices of its filters
    checked = labels(read[reverse("projects:project-list")])
    assert "<th> Stage" in checked and "<option> Any" in checked


def test_the_check_finds_chinese_labels_and_dashes():
    page = (
        "<label>名称</label><th>Name</th><button>保存</button><title>项目 · Zhaoshang</title>"
        '<option value="">---------</option><option value="1">江门</option>'
    )
    assert chinese_labels(page) == ["<label> 名称", "<button> 保存", "<title> 项目 · Zhaoshang", "<option> ---------"]
    assert chinese_labels("<title>项目 · Zhaoshang</title>", ("项目",)) == []

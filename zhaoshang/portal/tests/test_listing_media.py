"""Photos and documents of parks and sites: staff who may change a listing upload them (checked by opening the
image), a thumbnail is made at upload, the public reads the files of public listings only, and a site's cover
photo reaches the proposal page and its PDF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhaoshang.core.testing import image_bytes, image_upload, pdf_image_widths
from zhaoshang.geo import services
from zhaoshang.geo.models import ListingDocument, ListingPhoto
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory
from zhaoshang.portal.services.matching import Needs, save_proposal


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def site(city, outpost_a):
    return CarrierFactory(reference="PJ-PHOTO", name="照片地块", name_en="Photo Plot", team=outpost_a)


def photo_add(site):
    return reverse("portal:staff-carrier-photo-add", args=[site.pk])


def upload(client, site, file, **fields):
    data = {"image": file, "alt_text": "厂房外景", "alt_text_en": "The hall from outside", "order": 0, **fields}
    return client.post(photo_add(site), data)


def test_the_team_uploads_a_photo_with_a_smaller_thumbnail_upright_and_without_metadata(client_for, officer_a, site):
    # EXIF orientation 6: the camera was turned; the picture is 1200 × 800 as stored, 800 × 1200 upright.
    response = upload(client_for(officer_a), site, image_upload("hall.jpg", orientation=6), cover="on")
    assert response.status_code == 302
    photo = ListingPhoto.objects.get(carrier=site)
    assert photo.cover and (photo.width, photo.height) == (800, 1200)
    with photo.image.open("rb") as file, Image.open(file) as stored:
        assert stored.size == (800, 1200)
        assert not stored.getexif()  # no camera, no orientation, no position left in the served file
    with photo.thumbnail.open("rb") as file, Image.open(file) as thumbnail:
        assert thumbnail.format == "JPEG" and thumbnail.size == (480, 720)
        assert not thumbnail.getexif()
    assert photo.thumbnail.size < photo.image.size


@pytest.mark.parametrize(
    "file, words",
    [
        (SimpleUploadedFile("notes.txt", b"plain text"), "JPEG, PNG or WebP"),
        (SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff" + b"not really an image" * 10), "cannot be opened"),
        (SimpleUploadedFile("disguised.png", b"%PDF-1.4 a pdf"), "not really a .png"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_naming_the_field_and_nothing_is_saved(
    client_for, officer_a, site, file, words, tmp_path
):
    response = upload(client_for(officer_a, language="en"), site, file)
    assert response.status_code == 400
    errors = response.context["form"].errors["image"]
    assert any(words in error and error.startswith("Photo") for error in errors), errors
    assert not ListingPhoto.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_photo_over_the_size_limit_is_refused(client_for, officer_a, site, settings):
    settings.ZHAOSHANG_PHOTO_MAX_MB = 1
    big = SimpleUploadedFile("big.png", image_bytes(2200, 1800, kind="PNG") + b"\0" * (1024 * 1024))
    response = upload(client_for(officer_a, language="en"), site, big)
    assert response.status_code == 400
    assert "the largest accepted file is 1.0" in response.context["form"].errors["image"][0]
    assert not ListingPhoto.objects.exists()


def test_the_error_is_in_chinese_on_a_chinese_page(client_for, officer_a, site):
    response = client_for(officer_a, language="zh-hans").post(
        photo_add(site), {"image": SimpleUploadedFile("a.txt", b"x"), "alt_text": "a", "alt_text_en": "a"}
    )
    assert response.status_code == 400
    assert "照片" in response.context["form"].errors["image"][0]


def test_alt_text_is_required_in_both_languages(client_for, officer_a, site):
    response = upload(client_for(officer_a), site, image_upload("hall.png"), alt_text_en="")
    assert response.status_code == 400 and "alt_text_en" in response.context["form"].errors
    assert not ListingPhoto.objects.exists()


def test_a_new_cover_takes_the_place_of_the_former_one(client_for, officer_a, site):
    client = client_for(officer_a)
    upload(client, site, image_upload("one.jpg"), cover="on")
    upload(client, site, image_upload("two.webp"), cover="on", alt_text="第二张")
    assert list(ListingPhoto.objects.filter(carrier=site, cover=True).values_list("alt_text", flat=True)) == ["第二张"]
    assert services.cover_photos([site])[site.pk].alt_text == "第二张"


def test_a_team_that_may_not_change_the_site_can_neither_upload_nor_delete(
    client_for, officer_a, officer_b, site, django_capture_on_commit_callbacks
):
    upload(client_for(officer_a), site, image_upload("hall.jpg"))
    photo = ListingPhoto.objects.get()
    other = client_for(officer_b)
    assert other.get(photo_add(site)).status_code == 403
    assert upload(other, site, image_upload("mine.jpg")).status_code == 403
    delete = reverse("portal:staff-photo-delete", args=[photo.pk])
    assert other.post(delete).status_code == 403
    assert ListingPhoto.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(officer_a).post(delete).status_code == 302
    assert not ListingPhoto.objects.exists()
    assert not photo.image.storage.exists(photo.image.name)


def test_the_public_sees_the_photos_of_a_published_site_and_404_for_an_unpublished_one(
    client, client_for, officer_a, site
):
    upload(client_for(officer_a), site, image_upload("hall.jpg"))
    photo = ListingPhoto.objects.get()
    page = client.get(site.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert photo.thumbnail_url in html and 'loading="lazy"' in html and 'alt="厂房外景"' in html
    english = client.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'alt="The hall from outside"' in english
    answer = client.get(photo.url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert client.get(photo.thumbnail_url).status_code == 200
    site.published = False
    site.save()
    assert client.get(photo.url).status_code == 404
    assert client.get(photo.thumbnail_url).status_code == 404
    assert client_for(officer_a).get(photo.url).status_code == 200  # staff still read it


def test_park_documents_are_pdfs_served_while_the_park_is_public(client, client_for, officer_a, outpost_a, city):
    park = ParkFactory(name="文件园区", team=outpost_a)
    add = reverse("portal:staff-park-document-add", args=[park.pk])
    staff = client_for(officer_a, language="en")
    refused = staff.post(add, {"title": "手册", "title_en": "Brochure", "file": image_upload("plan.jpg"), "order": 0})
    assert refused.status_code == 400 and "PDF" in refused.context["form"].errors["file"][0]
    pdf = SimpleUploadedFile("brochure.pdf", b"%PDF-1.4 brochure", "application/pdf")
    assert staff.post(add, {"title": "手册", "title_en": "Brochure", "file": pdf, "order": 0}).status_code == 302
    document = ListingDocument.objects.get(park=park)
    assert document.size == len(b"%PDF-1.4 brochure")
    page = client.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Brochure" in page and document.url in page
    assert client.get(document.url).status_code == 200
    park.published = False
    park.save()
    assert client.get(document.url).status_code == 404


def test_the_staff_page_offers_upload_only_to_those_who_may_change(client_for, officer_a, officer_b, site):
    page = reverse("portal:staff-carrier-detail", args=[site.pk])
    assert photo_add(site) in client_for(officer_a).get(page).content.decode()
    assert photo_add(site) not in client_for(officer_b).get(page).content.decode()


def test_cover_photos_of_many_sites_in_one_query(client_for, officer_a, outpost_a, site, django_assert_num_queries):
    second = CarrierFactory(reference="PJ-OTHER", team=outpost_a)
    bare = CarrierFactory(reference="PJ-BARE", team=outpost_a)
    client = client_for(officer_a)
    upload(client, site, image_upload("a.jpg"), order=2)
    upload(client, site, image_upload("b.jpg"), order=1, alt_text="先")
    upload(client, second, image_upload("c.jpg"), cover="on", alt_text="封面")
    with django_assert_num_queries(1):
        covers = services.cover_photos([site, second, bare])
    assert {pk: photo.alt_text for pk, photo in covers.items()} == {site.pk: "先", second.pk: "封面"}


def test_the_proposal_shows_the_cover_and_its_pdf_embeds_it(client, client_for, officer_a, site):
    upload(client_for(officer_a), site, image_upload("hall.jpg"), cover="on")
    photo = ListingPhoto.objects.get()
    proposal = save_proposal(Needs(), language="zh-hans", title="照片方案")
    assert site.pk in [item["carrier"] for item in proposal.results]
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert photo.thumbnail_url in page
    pdf = client.get(reverse("portal:proposal-pdf", args=[proposal.token]))
    assert pdf.status_code == 200
    # the QR code and the cover photo (480 wide thumbnail)
    assert 480 in pdf_image_widths(pdf.content)


def test_the_team_makes_another_photo_the_cover_and_another_team_cannot(client_for, officer_a, officer_b, site):
    client = client_for(officer_a)
    upload(client, site, image_upload("one.jpg"), cover="on", alt_text="一")
    upload(client, site, image_upload("two.jpg"), alt_text="二")
    second = ListingPhoto.objects.get(alt_text="二")
    edit = reverse("portal:staff-photo-edit", args=[second.pk])
    data = {"alt_text": "二", "alt_text_en": "Two", "order": 0, "cover": "on", "record_version": second.version}
    assert client_for(officer_b).post(edit, data).status_code == 403
    assert services.cover_photos([site])[site.pk].alt_text == "一"
    assert client.post(edit, data).status_code == 302
    assert list(ListingPhoto.objects.filter(cover=True).values_list("alt_text", flat=True)) == ["二"]

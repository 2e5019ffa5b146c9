"""The unified social credit code (统一社会信用代码, GB 32100-2015) and its check character.

Two published codes are used, each verified by hand below with the standard's algorithm:
the 17 first characters take their values in 0123456789ABCDEFGHJKLMNPQRTUWXY (0–30),
are multiplied by the weights 3^i mod 31 = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28,
and the check character is the one whose value is (31 − sum mod 31) mod 31.

华为技术有限公司 (Huawei Technologies Co., Ltd.), 914403001922038216:
    9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 3·26 + 0·16 + 0·17 + 1·20 + 9·29 + 2·25 + 2·13 + 0·8 + 3·24 + 8·10 + 2·30 + 1·28
    = 9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 20 + 261 + 50 + 26 + 0 + 72 + 80 + 60 + 28 = 831;
    831 mod 31 = 25 (31·26 = 806); 31 − 25 = 6 → check character "6".

深圳市腾讯计算机系统有限公司 (Shenzhen Tencent Computer Systems Co., Ltd.), 91440300708461136T:
    9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 3·26 + 0·16 + 0·17 + 7·20 + 0·29 + 8·25 + 4·13 + 6·8 + 1·24 + 1·10 + 3·30 + 6·28
    = 9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 140 + 0 + 200 + 52 + 48 + 24 + 10 + 90 + 168 = 966;
    966 mod 31 = 5 (31·31 = 961); 31 − 5 = 26 → the 27th character of the alphabet, "T".
"""

import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.validators import ALPHABET, clean_uscc, make_uscc, uscc_check_character, validate_uscc

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"


def refusal_code(value: str) -> str:
    """The ``code`` of the ValidationError ``validate_uscc`` raises for ``value``."""
    with pytest.raises(ValidationError) as refused:
        validate_uscc(value)
    return refused.value.code


# --- the algorithm on published codes ------------------------------------------------------------


def test_the_check_character_of_huaweis_code_is_six():
    assert uscc_check_character(HUAWEI[:17]) == "6"


def test_the_check_character_of_tencents_code_is_the_letter_t():
    assert uscc_check_character(TENCENT[:17]) == "T"


@pytest.mark.parametrize("code", [HUAWEI, TENCENT])
def test_a_published_credit_code_is_accepted(code):
    validate_uscc(code)  # raises on failure


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("91440300708461136t", TENCENT),  # lower case
        ("  9144 0300 1922 0382 16 ", HUAWEI),  # spaces as people group the digits
        ("9144\t0300\n1922038216", HUAWEI),  # any white space
        ("９１４４０３００１９２２０３８２１６", HUAWEI),  # full-width digits from a Chinese input method
        ("９１４４０３００７０８４６１１３６ｔ", TENCENT),  # full-width lower-case letter
    ],
)
def test_a_credit_code_as_people_type_it_is_cleaned_to_its_canonical_form(typed, expected):
    assert clean_uscc(typed) == expected
    validate_uscc(typed)


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [HUAWEI[:17], HUAWEI + "0", "", "91440300"])
def test_a_credit_code_of_the_wrong_length_is_refused(code):
    assert refusal_code(code) == "uscc_length"


def test_the_length_refusal_says_how_many_characters_were_given():
    with pytest.raises(ValidationError) as refused:
        validate_uscc(HUAWEI[:17])
    assert refused.value.params == {"n": 17}


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_a_credit_code_with_a_letter_the_standard_never_uses_is_refused(letter):
    code = HUAWEI[:12] + letter + HUAWEI[13:]
    assert refusal_code(code) == "uscc_chars"


def test_the_refusal_of_forbidden_letters_names_them():
    with pytest.raises(ValidationError) as refused:
        validate_uscc("91440300192203821O".replace("1922", "I922"))
    assert refused.value.params == {"chars": "I, O"}


def test_punctuation_in_a_credit_code_is_refused_as_a_foreign_character():
    assert refusal_code(HUAWEI[:17] + "-") == "uscc_chars"


def test_a_credit_code_whose_region_part_has_a_letter_is_refused():
    # Characters 3–8 are the administrative division code (440300, Shenzhen): digits only.
    body = "9144A300" + HUAWEI[8:17]
    code = body + uscc_check_character(body)  # a correct check character, so only the region is wrong
    assert refusal_code(code) == "uscc_region"


def test_a_credit_code_with_a_wrong_check_character_is_refused_with_the_expected_character():
    with pytest.raises(ValidationError) as refused:
        validate_uscc(HUAWEI[:17] + "7")
    assert refused.value.code == "uscc_check"
    assert refused.value.params == {"expected": "6"}


def test_a_mistyped_credit_code_is_refused_with_the_expected_character():
    # One digit of the organization code mistyped: 19220382 → 19230382.
    mistyped = "914403001923038216"
    with pytest.raises(ValidationError) as refused:
        validate_uscc(mistyped)
    assert refused.value.code == "uscc_check"
    assert refused.value.params == {"expected": uscc_check_character(mistyped[:17])}
    assert refused.value.params["expected"] != "6"


def test_two_swapped_neighbouring_digits_are_caught():
    swapped = HUAWEI[:9] + HUAWEI[10] + HUAWEI[9] + HUAWEI[11:]  # …1922… → …9122…
    assert swapped != HUAWEI
    assert refusal_code(swapped) == "uscc_check"


# --- properties ----------------------------------------------------------------------------------

regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
kinds = st.text(alphabet=ALPHABET, min_size=2, max_size=2)


@given(st.randoms(use_true_random=False), regions, kinds)
def test_a_made_up_credit_code_always_validates(rng, region, kind):
    code = make_uscc(rng, region=region, kind=kind)
    assert len(code) == 18
    assert code[:2] == kind
    assert code[2:8] == region
    validate_uscc(code)


@given(st.randoms(use_true_random=False), st.data())
def test_changing_any_one_of_the_first_seventeen_characters_makes_a_code_invalid(rng, data):
    # Each weight 3^i mod 31 is non-zero and 31 is prime, so any single substitution changes the sum mod 31.
    code = make_uscc(rng)
    position = data.draw(st.integers(min_value=0, max_value=16), label="position")
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]), label="replacement")
    typo = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError) as refused:
        validate_uscc(typo)
    # A letter typed into the region part is refused for that reason; every other typo by the check.
    expected = "uscc_region" if 2 <= position < 8 and not replacement.isdigit() else "uscc_check"
    assert refused.value.code == expected


def test_factory_codes_are_distinct_and_valid():
    rng = random.Random(32100)
    codes = {make_uscc(rng) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        validate_uscc(code)


# --- through the model, the API and the web form -------------------------------------------------


def enterprise_payload(outpost, **fields):
    return {"name": "江门市某某电池有限公司", "owner_team": outpost.pk, "industry": "38", **fields}


def test_the_api_refuses_a_mistyped_credit_code_on_the_uscc_field_and_saves_nothing(api_for, officer_a, outpost_a):
    response = api_for(officer_a).post(
        "/api/enterprises/", enterprise_payload(outpost_a, uscc=HUAWEI[:17] + "7"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"uscc"}
    assert "6" in response.json()["uscc"][0]  # the message names the expected check character
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("bad", ["91440300", "914403001922O38216", "9144A3001922038216"])
def test_the_api_refuses_a_malformed_credit_code_and_saves_nothing(api_for, officer_a, outpost_a, bad):
    response = api_for(officer_a).post("/api/enterprises/", enterprise_payload(outpost_a, uscc=bad), format="json")
    assert response.status_code == 400
    assert "uscc" in response.json()
    assert not Enterprise.objects.exists()


def test_the_api_stores_a_lower_case_or_full_width_credit_code_in_canonical_form(api_for, officer_a, outpost_a):
    api = api_for(officer_a)
    lower = api.post("/api/enterprises/", enterprise_payload(outpost_a, uscc=TENCENT.lower()), format="json")
    wide = api.post(
        "/api/enterprises/", enterprise_payload(outpost_a, uscc="９１４４０３００１９２２０３８２１６"), format="json"
    )
    assert (lower.status_code, wide.status_code) == (201, 201)
    assert lower.json()["uscc"] == TENCENT
    assert sorted(Enterprise.objects.values_list("uscc", flat=True)) == sorted([HUAWEI, TENCENT])


def test_the_api_accepts_an_enterprise_without_a_credit_code(api_for, officer_a, outpost_a):
    response = api_for(officer_a).post("/api/enterprises/", enterprise_payload(outpost_a, uscc=""), format="json")
    assert response.status_code == 201
    assert Enterprise.objects.get().uscc is None


def test_the_api_refuses_a_credit_code_already_on_record(api_for, officer_a, outpost_a):
    api = api_for(officer_a)
    assert api.post("/api/enterprises/", enterprise_payload(outpost_a, uscc=HUAWEI), format="json").status_code == 201
    again = api.post("/api/enterprises/", enterprise_payload(outpost_a, uscc=HUAWEI, name="华为"), format="json")
    assert again.status_code == 400
    assert "uscc" in again.json()
    assert Enterprise.objects.count() == 1


def test_the_api_refuses_a_lower_case_copy_of_a_credit_code_already_on_record(api_for, officer_a, outpost_a):
    api = api_for(officer_a)
    assert api.post("/api/enterprises/", enterprise_payload(outpost_a, uscc=TENCENT), format="json").status_code == 201
    again = api.post("/api/enterprises/", enterprise_payload(outpost_a, uscc=TENCENT.lower()), format="json")
    assert again.status_code == 400
    assert "uscc" in again.json()
    assert Enterprise.objects.count() == 1


def test_the_web_form_shows_a_mistyped_credit_code_on_its_field_and_saves_nothing(client_for, officer_a, outpost_a):
    response = client_for(officer_a).post(
        "/industry/enterprises/add/",
        {"name": "江门市某某电池有限公司", "uscc": HUAWEI[:17] + "7", "owner_team": outpost_a.pk, "hq_country": "中国"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["uscc"]
    assert [error.code for error in form.errors.as_data()["uscc"]] == ["uscc_check"]
    assert b'data-field="uscc"' in response.content
    assert not Enterprise.objects.exists()


def test_the_web_form_saves_a_lower_case_credit_code_in_canonical_form(client_for, officer_a, outpost_a):
    response = client_for(officer_a).post(
        "/industry/enterprises/add/",
        {"name": "深圳市腾讯计算机系统有限公司", "uscc": TENCENT.lower(), "owner_team": outpost_a.pk},
    )
    assert response.status_code == 302
    assert Enterprise.objects.get().uscc == TENCENT


def test_the_web_form_refuses_a_full_width_copy_of_a_credit_code_already_on_record(client_for, officer_a, outpost_a):
    client = client_for(officer_a)
    first = client.post(
        "/industry/enterprises/add/", {"name": "华为技术有限公司", "uscc": HUAWEI, "owner_team": outpost_a.pk}
    )
    assert first.status_code == 302
    again = client.post(
        "/industry/enterprises/add/",
        {"name": "华为", "uscc": "９１４４０３００１９２２０３８２１６", "owner_team": outpost_a.pk},
    )
    assert again.status_code == 200
    assert [error.code for error in again.context["form"].errors.as_data()["uscc"]] == ["unique"]
    assert Enterprise.objects.count() == 1


def test_the_web_form_accepts_a_credit_code_typed_in_groups_with_spaces(client_for, officer_a, outpost_a):
    response = client_for(officer_a).post(
        "/industry/enterprises/add/",
        {"name": "华为技术有限公司", "uscc": "9144 0300 1922 0382 16", "owner_team": outpost_a.pk},
    )
    assert response.status_code == 302
    assert Enterprise.objects.get().uscc == HUAWEI


def test_model_validation_refuses_a_mistyped_credit_code(db):
    enterprise = Enterprise(name="江门市某某电池有限公司", uscc=HUAWEI[:17] + "7")
    with pytest.raises(ValidationError) as refused:
        enterprise.full_clean()
    assert [error.code for error in refused.value.error_dict["uscc"]] == ["uscc_check"]


def test_saving_an_enterprise_stores_its_credit_code_cleaned(db):
    enterprise = Enterprise.objects.create(name="华为技术有限公司", uscc="９１４４０３００１９２２０３８２１６")
    enterprise.refresh_from_db()
    assert enterprise.uscc == HUAWEI
    blank = Enterprise.objects.create(name="Tate & Lyle PLC", uscc="")
    blank.refresh_from_db()
    assert blank.uscc is None

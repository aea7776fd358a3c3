"""Editing the profile: saved values, field errors in the form (never a 500), the picture."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from wilma.accounts.models import OrgUnit
from wilma.core.database import commit
from wilma.extensions import db

FIELDS = {"display_name": "Anna Adler", "email": "anna@example.org", "job_title": "", "org_unit_id": "0",
          "phone": "", "room": "", "about": "", "locale": "en"}


def _save(auth, **changes):
    return auth.post("/settings/profile", {**FIELDS, **changes})


def _field_error(response, field) -> str:
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert match, f"no error shown at {field}"
    return match.group(1)


@pytest.fixture
def anna(auth, make_user):
    user = make_user("anna", display_name="Anna Adler")
    auth.login("anna")
    return user


def test_profile_is_saved_and_shown(client, auth, anna):
    unit = OrgUnit(name="Kulturreferat", short="KULT")
    db.session.add(unit)
    commit()
    response = _save(auth, job_title="Archivarin", org_unit_id=str(unit.id), phone="+49 89 233-0",
                     room="A 3.14", about="I like **old maps** <script>alert(1)</script>")
    assert response.status_code == 302
    assert "Your profile has been saved." in auth.client.get("/settings/profile").get_data(as_text=True)
    page = auth.client.get(f"/people/{anna.id}").get_data(as_text=True)
    for text in ("Archivarin", "Kulturreferat", "+49 89 233-0", "A 3.14", "<strong>old maps</strong>"):
        assert text in page
    assert "<script>alert(1)" not in page
    me = auth.client.get("/api/v1/me").get_json()
    assert me["about"].endswith("<script>alert(1)</script>")  # the source is kept as written
    assert "<script>" not in me["about_html"]
    assert me["org_unit"] == {"id": unit.id, "name": "Kulturreferat"}


@pytest.mark.parametrize("changes,field,message", [
    ({"display_name": ""}, "display_name", "This field is required."),
    ({"display_name": "x" * 121}, "display_name", "120"),
    ({"job_title": "x" * 201}, "job_title", "200"),
    ({"phone": "1" * 81}, "phone", "80"),
    ({"email": "not an address"}, "email", "e-mail"),
    ({"org_unit_id": "99999"}, "org_unit_id", "choice"),
    ({"org_unit_id": "abc"}, "org_unit_id", "hoice"),
    ({"locale": "fr"}, "locale", "choice"),
])
def test_field_errors_are_shown_in_the_form(auth, anna, changes, field, message):
    response = _save(auth, **changes)
    assert response.status_code == 200
    assert message in _field_error(response, field)
    assert auth.client.get("/api/v1/me").get_json()["display_name"] == "Anna Adler"


def test_internal_directory_addresses_are_accepted(auth, anna):
    assert _save(auth, email="Anna.Adler@Stadt.LOCAL").status_code == 302
    assert auth.client.get("/api/v1/me").get_json()["email"] == "anna.adler@stadt.local"


def test_email_of_someone_else_is_a_field_error(auth, anna, make_user):
    make_user("bert")
    response = _save(auth, email="BERT@example.org")
    assert response.status_code == 200
    assert "already in use" in _field_error(response, "email")
    assert auth.client.get("/api/v1/me").get_json()["email"] == "anna@example.org"


def _png(color="red", size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def _upload(auth, data: bytes, filename: str):
    return auth.post("/settings/avatar", {"avatar": (io.BytesIO(data), filename)},
                     content_type="multipart/form-data")


def test_avatar_upload_replaces_the_initials(client, auth, anna):
    profile = client.get(f"/people/{anna.id}").get_data(as_text=True)
    assert ">AA</span>" in profile and f"/people/{anna.id}/avatar" not in profile
    assert client.get(f"/people/{anna.id}/avatar").status_code == 404

    response = _upload(auth, _png(), "me.png")
    assert response.status_code == 302
    assert "Your picture has been saved." in client.get("/settings/profile").get_data(as_text=True)
    profile = client.get(f"/people/{anna.id}").get_data(as_text=True)
    assert f'src="/people/{anna.id}/avatar"' in profile
    picture = client.get(f"/people/{anna.id}/avatar")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert "private" in picture.headers["Cache-Control"] and "public" not in picture.headers["Cache-Control"]
    image = Image.open(io.BytesIO(picture.data))
    assert image.format == "PNG" and image.size == (256, 256)  # cropped square and scaled

    auth.post("/settings/avatar", {"remove": "1"})
    assert ">AA</span>" in client.get(f"/people/{anna.id}").get_data(as_text=True)
    assert client.get(f"/people/{anna.id}/avatar").status_code == 404


def test_non_image_named_png_is_refused_at_the_field(client, auth, anna):
    response = _upload(auth, b"#!/bin/sh\necho not a picture\n" * 20, "evil.png")
    assert response.status_code == 200
    assert _field_error(response, "avatar") == "This file is not an image we can read."
    assert 'value="Anna Adler"' in response.get_data(as_text=True)  # the profile form is still filled in
    assert ">AA</span>" in client.get(f"/people/{anna.id}").get_data(as_text=True)
    assert not (Path(auth.client.application.config["WILMA_UPLOAD_DIR"]) / "avatars").exists()


def test_wrong_extension_and_no_file_are_refused_at_the_field(client, auth, anna):
    response = _upload(auth, _png(), "me.txt")
    assert _field_error(response, "avatar") == "Please choose a PNG, JPEG, GIF or WebP image."
    response = auth.post("/settings/avatar", {})
    assert _field_error(response, "avatar") == "Please choose a picture."


def test_new_picture_replaces_the_old_file(app, client, auth, anna):
    _upload(auth, _png("red"), "one.png")
    _upload(auth, _png("blue"), "two.png")
    stored = list((Path(app.config["WILMA_UPLOAD_DIR"]) / "avatars").iterdir())
    assert len(stored) == 1
    pixel = Image.open(io.BytesIO(client.get(f"/people/{anna.id}/avatar").data)).convert("RGB").getpixel((5, 5))
    assert pixel == (0, 0, 255)


def test_too_large_upload_is_a_message_not_a_crash(app, client, auth, anna):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = _upload(auth, _png(size=(2000, 2000)) + b"\0" * 4096, "big.png")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_null_character_is_refused_clearly_on_every_database(auth, anna):
    response = _save(auth, job_title="Chef\x00in")
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert auth.client.get("/api/v1/me").get_json()["job_title"] == ""
    # Services refuse it too, for callers that are not requests (CLI commands, plugin imports).
    from wilma.accounts import services
    from wilma.core.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        services.update_profile(anna, {"room": "A\x00"})
    assert info.value.field == "room"


def test_profile_form_preselects_the_language_in_use(client, anna):
    # The tests' site default is English; saving the form unchanged must not switch anyone to German.
    html = client.get("/settings/profile").get_data(as_text=True)
    assert '<option selected value="en">' in html


def test_lost_avatar_file_is_a_404_not_a_500(app, client, auth, anna):
    _upload(auth, _png(), "me.png")
    for stored in (Path(app.config["WILMA_UPLOAD_DIR"]) / "avatars").iterdir():
        stored.unlink()
    assert client.get(f"/people/{anna.id}/avatar").status_code == 404

"""Who reads, writes and moderates which wiki: each role and visibility, city-wide editors, archived
groups, and secret groups that answer 404 everywhere (pages, revisions, diffs, attachments, API)."""

import io

import pytest
from PIL import Image

from wilma.core.errors import NotFound, PermissionDenied
from wilma.wiki import access, services


@pytest.fixture
def people(make_user):
    return {name: make_user(name) for name in ("owner", "mod", "member", "outsider")}


@pytest.fixture
def team(make_group, people):
    def build(visibility, archived=False):
        return make_group(f"Team {visibility}", visibility=visibility, archived=archived, members={
            people["owner"]: "owner", people["mod"]: "moderator", people["member"]: "member"})
    return build


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("visibility", ["public", "private", "secret"])
def test_roles_in_each_visibility(visibility, team, people):
    group = team(visibility)
    for name in ("owner", "mod", "member"):
        assert access.can_read(people[name], group.id)
        assert access.can_write(people[name], group.id)
    assert access.can_moderate(people["owner"], group.id)
    assert access.can_moderate(people["mod"], group.id)
    assert not access.can_moderate(people["member"], group.id)
    outsider = people["outsider"]
    assert access.can_read(outsider, group.id) == (visibility == "public")
    assert not access.can_write(outsider, group.id)
    assert not access.can_moderate(outsider, group.id)


def test_member_writes_outsider_cannot(team, people, make_page):
    group = team("public")
    page = make_page(people["member"], "Protokolle", "Erste Fassung", group=group)
    with pytest.raises(PermissionDenied):
        services.save_page(people["outsider"], page.id, "Vandalismus", page.current_revision_id)
    with pytest.raises(PermissionDenied):
        services.delete_page(people["member"], page.id)
    services.delete_page(people["mod"], page.id)
    services.restore_page(people["owner"], page.id)
    assert page.deleted_at is None


def test_archived_group_wiki_is_read_only(team, people, make_page, client, auth):
    group = team("public")
    page = make_page(people["member"], "Altes Wissen", "Bleibt lesbar", group=group)
    from wilma.core.database import commit
    from wilma.core.models import utcnow

    group.archived_at = utcnow()
    commit()
    with pytest.raises(PermissionDenied):
        services.save_page(people["owner"], page.id, "Neu", page.current_revision_id)
    with pytest.raises(PermissionDenied):
        services.delete_page(people["owner"], page.id)
    auth.login("member")
    html = client.get(f"/groups/{group.id}/wiki/{page.path}").get_data(as_text=True)
    assert "Bleibt lesbar" in html and "archived" in html
    assert f"/wiki/-/pages/{page.id}/edit" not in html
    assert client.get(f"/wiki/-/pages/{page.id}/edit").status_code == 403


def test_city_wide_wiki_admins_and_named_editors_write(admin, make_user, client, auth):
    reader, editor = make_user("reader"), make_user("editor")
    page = services.create_page(admin, None, "Homeoffice", "Regeln")
    assert access.can_read(reader, None) and not access.can_write(reader, None)
    with pytest.raises(PermissionDenied):
        services.create_page(reader, None, "Eigenes", "x")
    auth.login("admin")
    response = auth.post("/wiki/-/editors", data={"username": "editor"})
    assert response.status_code == 302
    assert access.can_write(editor, None)
    services.save_page(editor, page.id, "Regeln, ergänzt", page.current_revision_id)
    assert page.current_revision.body == "Regeln, ergänzt\n"
    assert not access.can_moderate(editor, None)  # deleting stays with admins


def test_private_group_wiki_is_members_only(team, people, make_page, client, auth):
    group = team("private")
    page = make_page(people["member"], "Intern", "Nur für uns", group=group)
    auth.login("outsider")
    assert client.get(f"/groups/{group.id}/wiki").status_code == 403
    assert client.get(f"/groups/{group.id}/wiki/{page.path}").status_code == 403
    assert client.get(f"/wiki/-/pages/{page.id}/history").status_code == 404
    assert client.get(f"/api/v1/wiki/pages/{page.id}").status_code == 404


def test_secret_group_wiki_is_404_for_outsiders_everywhere(team, people, make_page, client, auth, app):
    group = team("secret")
    page = make_page(people["member"], "Geheimprojekt", "Version eins", group=group)
    first = page.current_revision_id
    services.save_page(people["member"], page.id, "Version zwei", first)
    from werkzeug.datastructures import FileStorage

    from wilma.wiki import attachments

    item = attachments.add_attachment(people["member"], page.id,
                                      FileStorage(io.BytesIO(png_bytes()), filename="plan.png"))
    urls = [
        f"/groups/{group.id}/wiki", f"/groups/{group.id}/wiki/{page.path}", f"/groups/{group.id}/wiki/-/trash",
        f"/groups/{group.id}/wiki/-/new", f"/wiki/-/pages/{page.id}", f"/wiki/-/pages/{page.id}/history",
        f"/wiki/-/pages/{page.id}/revisions/{first}", f"/wiki/-/pages/{page.id}/diff?from={first}",
        f"/wiki/-/pages/{page.id}/backlinks", f"/wiki/-/pages/{page.id}/edit",
        f"/wiki/-/attachments/{item.id}/plan.png",
        f"/api/v1/groups/{group.id}/wiki/pages", f"/api/v1/wiki/pages/{page.id}",
        f"/api/v1/wiki/pages/{page.id}/revisions", f"/api/v1/wiki/pages/{page.id}/diff?from={first}",
        f"/api/v1/wiki/pages/{page.id}/revisions/{first}",
    ]
    auth.login("outsider")
    missing = client.get("/groups/99999/wiki")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Geheimprojekt" not in response.get_data(as_text=True)
    assert missing.status_code == 404
    put = auth.api("PUT", f"/api/v1/wiki/pages/{page.id}", {"body": "x", "base_revision_id": first})
    assert put.status_code == 404
    assert auth.api("POST", f"/api/v1/groups/{group.id}/wiki/pages", {"title": "x", "body": ""}).status_code == 404
    with pytest.raises(NotFound):
        services.save_page(people["outsider"], page.id, "x", first)
    # members see all of it
    auth.logout()
    auth.login("member")
    trash = f"/groups/{group.id}/wiki/-/trash"
    for url in urls:
        assert client.get(url).status_code in ((403,) if url == trash else (200, 301, 302)), url
    assert client.get(f"/wiki/-/attachments/{item.id}/plan.png").data.startswith(b"\x89PNG")


def test_admins_moderate_group_wikis_they_can_read(team, people, admin):
    public, secret = team("public"), team("secret")
    assert access.can_moderate(admin, public.id) and not access.can_write(admin, public.id)
    assert not access.can_read(admin, secret.id) and not access.can_moderate(admin, secret.id)


def test_deactivated_people_read_nothing(people, make_page, team):
    group = team("public")
    page = make_page(people["member"], "Offen", "Für alle", group=group)
    people["outsider"].active = False
    with pytest.raises(Exception) as caught:
        access.readable_page(people["outsider"], page.id)
    assert caught.value.status in (401, 404)
    assert not access.can_read(people["outsider"], None)

"""Only admins reach /admin/*: members get 403, anonymous visitors the login page."""

import pytest


def _admin_paths(app, user_id: int, group_id: int, unit_id: int) -> list[tuple[str, str]]:
    """Every route of the admin blueprint under /admin, with its parameters filled in, and its method."""
    values = {"user_id": user_id, "group_id": group_id, "unit_id": unit_id}
    paths = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or not rule.rule.startswith("/admin"):
            continue
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.append((method, path))
    return paths


@pytest.fixture
def targets(make_user, make_group, admin):
    from wilma.accounts.models import OrgUnit
    from wilma.core.database import commit
    from wilma.extensions import db

    person = make_user("mia")
    group = make_group("Kita-Team", members={person: "owner"})
    unit = OrgUnit(name="Bauamt")
    db.session.add(unit)
    commit()
    return person, group, unit


def test_every_admin_route_refuses_members_and_anonymous(app, client, auth, targets):
    person, group, unit = targets
    paths = _admin_paths(app, person.id, group.id, unit.id)
    assert len(paths) > 15  # the walk found the real routes

    anonymous_token = auth.csrf("/login")
    for method, path in paths:
        response = client.open(path, method=method, data={"csrf_token": anonymous_token})
        assert response.status_code == 302, (method, path)
        assert "/login" in response.headers["Location"]

    auth.login("mia")
    token = auth.csrf("/settings/profile")
    for method, path in paths:
        response = client.open(path, method=method, data={"csrf_token": token, "active": "0", "admin": "1"})
        assert response.status_code == 403, (method, path)

    from wilma.extensions import db

    db.session.refresh(person)
    assert person.active and not person.is_admin  # nothing happened


def test_admin_reaches_the_pages_and_sees_the_navigation_entry(client, as_admin, targets):
    person, group, unit = targets
    for path in ("/admin/", "/admin/users", "/admin/users/new", f"/admin/users/{person.id}",
                 f"/admin/users/{person.id}/delete", "/admin/groups", f"/admin/groups/{group.id}",
                 f"/admin/groups/{group.id}/delete", "/admin/org", f"/admin/org/{unit.id}", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get("/people").get_data(as_text=True)
    assert 'href="/admin/"' in page


def test_members_do_not_see_the_admin_navigation(client, auth, make_user):
    make_user("mia")
    auth.login("mia")
    assert 'href="/admin/"' not in client.get("/people").get_data(as_text=True)


def test_dashboard_counts_people_sessions_and_groups(client, as_admin, other_client, targets, make_group):
    make_group("Geheimprojekt", visibility="secret")
    other_client.login("mia")
    page = client.get("/admin/").get_data(as_text=True)
    # 2 active people (root, mia), 2 sessions (both browsers), 2 groups
    assert page.count('<span class="admin-stat-number">2</span>') == 3


def test_dashboard_links_the_search_admin_page(app, client, as_admin):
    """The search feature's index page is linked from the dashboard card and the sub-navigation."""
    page = client.get("/admin/").get_data(as_text=True)
    assert page.count('href="/admin/search"') == 2  # the sub-navigation and the card

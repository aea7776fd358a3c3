"""The group routes answer exactly what the OpenAPI document says, for successes and for refusals."""


from tests.core.openapi_checks import check, check_items


def test_group_life_cycle_matches_the_document(app, client, auth, make_user, bert, document):
    anna = make_user("anna")
    auth.login("anna")

    sent = {"name": "Bauamt Nord", "description": "**Pläne** <script>alert(1)</script>",
            "visibility": "private", "category": "Ämter", "color": "#112233"}
    response = auth.api("POST", "/api/v1/groups", sent)
    assert response.status_code == 201
    group = check(document, "post", "/groups", response, sent=sent)
    assert group["role"] == "owner" and group["member_count"] == 1
    assert group["description"] == sent["description"]
    assert "<strong>Pläne</strong>" in group["html"] and "<script" not in group["html"]
    gid = group["id"]
    auth.api("POST", "/api/v1/groups", {"name": "Kantine"})

    listed = check(document, "get", "/groups", client.get("/api/v1/groups?limit=1"))
    assert listed["next_cursor"] and [g["id"] for g in listed["items"]] == [gid]
    check_items(document, "get", "/groups", listed)
    check(document, "get", "/groups/{id}", client.get(f"/api/v1/groups/{gid}"))
    patch = {"category": "Bau"}
    changed = check(document, "patch", "/groups/{id}", auth.api("PATCH", f"/api/v1/groups/{gid}", patch),
                    sent=patch)
    assert changed["category"] == "Bau"

    # bert asks to join the private group and may not read its members yet
    requested = bert.api("POST", f"/api/v1/groups/{gid}/join")
    assert requested.status_code == 202
    assert check(document, "post", "/groups/{id}/join", requested) == {"status": "requested"}
    pending = check(document, "get", "/groups/{id}/requests", client.get(f"/api/v1/groups/{gid}/requests"))
    assert [(r["username"], r["kind"]) for r in pending["items"]] == [("bert", "request")]
    check_items(document, "get", "/groups/{id}/requests", pending)
    not_moderator = bert.api("GET", f"/api/v1/groups/{gid}/requests")
    assert not_moderator.status_code == 403
    check(document, "get", "/groups/{id}/requests", not_moderator)
    refused = bert.api("GET", f"/api/v1/groups/{gid}/members")
    assert refused.status_code == 403
    check(document, "get", "/groups/{id}/members", refused)
    not_allowed = bert.api("PATCH", f"/api/v1/groups/{gid}", {"name": "Mine"})
    assert not_allowed.status_code == 403
    check(document, "patch", "/groups/{id}", not_allowed)

    # anna approves; the member list and the role change answer as documented
    approve = {"user_id": bert.user.id}
    approved = auth.api("POST", f"/api/v1/groups/{gid}/members", approve)
    assert approved.status_code == 201
    assert check(document, "post", "/groups/{id}/members", approved, sent=approve)["status"] == "member"
    members = check(document, "get", "/groups/{id}/members", client.get(f"/api/v1/groups/{gid}/members"))
    assert {m["username"]: m["role"] for m in members["items"]} == {"anna": "owner", "bert": "member"}
    check_items(document, "get", "/groups/{id}/members", members)
    role = {"role": "moderator"}
    promoted = auth.api("PATCH", f"/api/v1/groups/{gid}/members/{bert.user.id}", role)
    assert check(document, "patch", "/groups/{id}/members/{user_id}", promoted, sent=role)["role"] == "moderator"
    unknown = auth.api("POST", f"/api/v1/groups/{gid}/members", {"user_id": 999999})
    assert unknown.status_code == 400
    check(document, "post", "/groups/{id}/members", unknown)

    # the last owner cannot leave; bert can
    last_owner = auth.api("POST", f"/api/v1/groups/{gid}/leave")
    assert last_owner.status_code == 409
    check(document, "post", "/groups/{id}/leave", last_owner)
    demote = auth.api("PATCH", f"/api/v1/groups/{gid}/members/{anna.id}", {"role": "member"})
    assert demote.status_code == 409
    check(document, "patch", "/groups/{id}/members/{user_id}", demote)
    left = bert.api("POST", f"/api/v1/groups/{gid}/leave")
    assert left.status_code == 204
    check(document, "post", "/groups/{id}/leave", left)
    gone = auth.api("DELETE", f"/api/v1/groups/{gid}/members/{bert.user.id}")
    assert gone.status_code == 404
    check(document, "delete", "/groups/{id}/members/{user_id}", gone)

    deleted = auth.api("DELETE", f"/api/v1/groups/{gid}")
    assert deleted.status_code == 204
    check(document, "delete", "/groups/{id}", deleted)
    missing = client.get(f"/api/v1/groups/{gid}")
    assert missing.status_code == 404
    check(document, "get", "/groups/{id}", missing)


def test_public_join_removal_and_refusals_match_the_document(app, client, auth, make_user, bert, document):
    make_user("anna")
    auth.login("anna")
    gid = auth.api("POST", "/api/v1/groups", {"name": "Laufgruppe"}).get_json()["id"]

    joined = bert.api("POST", f"/api/v1/groups/{gid}/join")
    assert joined.status_code == 200
    assert check(document, "post", "/groups/{id}/join", joined) == {"status": "member"}
    removed = auth.api("DELETE", f"/api/v1/groups/{gid}/members/{bert.user.id}")
    assert removed.status_code == 204
    check(document, "delete", "/groups/{id}/members/{user_id}", removed)

    archive = {"archived": True}
    archived = auth.api("PATCH", f"/api/v1/groups/{gid}", archive)
    assert check(document, "patch", "/groups/{id}", archived, sent=archive)["archived"] is True
    read_only = bert.api("POST", f"/api/v1/groups/{gid}/join")
    assert read_only.status_code == 403
    check(document, "post", "/groups/{id}/join", read_only)

    bad = auth.api("POST", "/api/v1/groups", {"name": "x", "visibility": "hidden"})
    assert bad.status_code == 400
    check(document, "post", "/groups", bad)
    bad_cursor = client.get("/api/v1/groups?cursor=nonsense")
    assert bad_cursor.status_code == 400
    check(document, "get", "/groups", bad_cursor)
    too_large = auth.api("POST", "/api/v1/groups", {"name": "x", "description": "a" * (22 * 1024 * 1024)})
    assert too_large.status_code == 413
    check(document, "post", "/groups", too_large)

    statuses = [auth.api("POST", "/api/v1/groups", {"name": f"Gruppe {n}"}).status_code for n in range(25)]
    assert 429 in statuses
    check(document, "post", "/groups", auth.api("POST", "/api/v1/groups", {"name": "noch eine"}))

    anonymous = app.test_client().get("/api/v1/groups")
    assert anonymous.status_code == 401
    check(document, "get", "/groups", anonymous)

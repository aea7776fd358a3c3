"""The wiki routes answer exactly what the OpenAPI document says, the edit conflict included."""


from tests.core.openapi_checks import check, check_items


def test_group_wiki_pages_revisions_and_diffs_match_the_document(app, client, auth, make_user, bert, document):
    make_user("anna")
    auth.login("anna")
    gid = auth.api("POST", "/api/v1/groups", {"name": "Standesamt", "visibility": "private"}).get_json()["id"]

    sent = {"title": "Urlaub", "body": "Anträge **bis Freitag** <script>x</script>\n\nZweite Zeile\n",
            "summary": "Erste Fassung"}
    created = auth.api("POST", f"/api/v1/groups/{gid}/wiki/pages", sent)
    assert created.status_code == 201
    page = check(document, "post", "/groups/{id}/wiki/pages", created, sent=sent)
    assert page["body"] == sent["body"] and "<strong>bis Freitag</strong>" in page["html"]
    assert "<script" not in page["html"]
    child = {"title": "Sonderurlaub", "body": "Siehe [[Urlaub]]", "parent_id": page["id"]}
    check(document, "post", "/groups/{id}/wiki/pages",
          auth.api("POST", f"/api/v1/groups/{gid}/wiki/pages", child), sent=child)

    listed = check(document, "get", "/groups/{id}/wiki/pages",
                   client.get(f"/api/v1/groups/{gid}/wiki/pages?limit=1"))
    assert listed["next_cursor"]
    check_items(document, "get", "/groups/{id}/wiki/pages", listed)
    pid, first_revision = page["id"], page["current_revision_id"]
    check(document, "get", "/wiki/pages/{id}", client.get(f"/api/v1/wiki/pages/{pid}"))

    edit = {"body": sent["body"] + "Dritte Zeile\n", "base_revision_id": first_revision, "summary": "Ergänzt"}
    saved = check(document, "put", "/wiki/pages/{id}", auth.api("PUT", f"/api/v1/wiki/pages/{pid}", edit),
                  sent=edit)
    assert saved["changed"] is True and saved["merged"] is False
    stale = {"body": "Ganz anders\n", "base_revision_id": first_revision}
    conflict = auth.api("PUT", f"/api/v1/wiki/pages/{pid}", stale)
    assert conflict.status_code == 409
    error = check(document, "put", "/wiki/pages/{id}", conflict)["error"]
    assert error["current_revision"]["id"] == saved["current_revision_id"]

    revisions = check(document, "get", "/wiki/pages/{id}/revisions",
                      client.get(f"/api/v1/wiki/pages/{pid}/revisions"))
    assert [r["number"] for r in revisions["items"]] == [2, 1]
    check_items(document, "get", "/wiki/pages/{id}/revisions", revisions)
    one = check(document, "get", "/wiki/pages/{id}/revisions/{revision_id}",
                client.get(f"/api/v1/wiki/pages/{pid}/revisions/{first_revision}"))
    assert one["body"] == sent["body"]
    diff = check(document, "get", "/wiki/pages/{id}/diff",
                 client.get(f"/api/v1/wiki/pages/{pid}/diff?from={first_revision}"))
    assert "<ins>" in diff["html"] and any(line["kind"] == "insert" for line in diff["lines"])

    for response, method, path, status in (
            (bert.api("GET", f"/api/v1/groups/{gid}/wiki/pages"), "get", "/groups/{id}/wiki/pages", 403),
            (bert.api("POST", f"/api/v1/groups/{gid}/wiki/pages", {"title": "x"}), "post",
             "/groups/{id}/wiki/pages", 403),
            (bert.api("GET", f"/api/v1/wiki/pages/{pid}"), "get", "/wiki/pages/{id}", 404),
            (auth.api("POST", f"/api/v1/groups/{gid}/wiki/pages", {"title": "Urlaub"}), "post",
             "/groups/{id}/wiki/pages", 400),
            (auth.api("PUT", f"/api/v1/wiki/pages/{pid}", {"body": "x"}), "put", "/wiki/pages/{id}", 400),
            (client.get(f"/api/v1/wiki/pages/{pid}/diff?from=gestern"), "get", "/wiki/pages/{id}/diff", 400),
            (client.get(f"/api/v1/wiki/pages/{pid}/revisions/999999"), "get",
             "/wiki/pages/{id}/revisions/{revision_id}", 404),
            (app.test_client().get(f"/api/v1/wiki/pages/{pid}/revisions"), "get", "/wiki/pages/{id}/revisions",
             401)):
        assert response.status_code == status, (method, path)
        check(document, method, path, response)


def test_city_wide_wiki_matches_the_document(app, client, auth, make_user, document):
    make_user("anna", admin=True)
    auth.login("anna")
    sent = {"title": "Telefonliste", "body": "Zentrale: 100"}
    created = auth.api("POST", "/api/v1/wiki/pages", sent)
    assert created.status_code == 201
    page = check(document, "post", "/wiki/pages", created, sent=sent)
    assert page["group_id"] is None
    listed = check(document, "get", "/wiki/pages", client.get("/api/v1/wiki/pages"))
    assert [p["id"] for p in listed["items"]] == [page["id"]]
    check_items(document, "get", "/wiki/pages", listed)
    bad_cursor = client.get("/api/v1/wiki/pages?cursor=kaputt")
    assert bad_cursor.status_code == 400
    check(document, "get", "/wiki/pages", bad_cursor)

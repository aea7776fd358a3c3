"""``GET /search`` answers exactly what the OpenAPI document says."""


from tests.core.openapi_checks import check, check_items
from wilma.search.outbox import flush_outbox


def test_search_matches_the_document(app, client, auth, make_user, document):
    make_user("anna", display_name="Anna Straßer")
    make_user("sbauer", display_name="Sven Straßer")
    auth.login("anna")
    flush_outbox()

    found = check(document, "get", "/search", client.get("/api/v1/search?q=Straßer&limit=1"))
    assert found["total"] == 2 and found["next_cursor"] and found["counts"] == {"people": 2}
    check_items(document, "get", "/search", found)
    people = check(document, "get", "/search", client.get("/api/v1/search?q=Sven&type=people"))
    assert [i["type"] for i in people["items"]] == ["people"] and "<mark>" in people["items"][0]["title_html"]
    check_items(document, "get", "/search", people)

    for query, status in (("q=%22unclosed", 400), ("q=Bau&from=gestern", 400), ("q=", 400),
                          ("q=Bau&cursor=kaputt", 400)):
        response = client.get(f"/api/v1/search?{query}")
        assert response.status_code == status, query
        check(document, "get", "/search", response)
    anonymous = app.test_client().get("/api/v1/search?q=Bau")
    assert anonymous.status_code == 401
    check(document, "get", "/search", anonymous)

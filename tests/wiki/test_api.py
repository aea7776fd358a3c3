

def test_a_made_up_cursor_is_a_400_not_a_500(client, auth, make_user):
    from wilma.core.api import encode_cursor

    make_user("reader")
    auth.login("reader")
    for cursor in (encode_cursor({"after": "x"}), encode_cursor({"after": True}), encode_cursor({}), "%%%"):
        response = client.get(f"/api/v1/wiki/pages?cursor={cursor}")
        assert response.status_code == 400, cursor
        assert response.get_json()["error"]["field"] == "cursor"

def test_post_in_group_shows_in_feed(app, client, auth, make_user, make_group):
    anna = make_user("anna")
    group = make_group("Radverkehr", "public", owner=anna)
    auth.login("anna")
    r = auth.post("/posts", data={"body": "Hallo **Welt**", "group_id": str(group.id)})
    assert r.status_code == 302
    page = client.get("/feed").get_data(as_text=True)
    assert "<strong>Welt</strong>" in page

def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Log in" in response.data


def test_login_and_profile(client, auth, make_user):
    user = make_user("anna", display_name="Anna Müller")
    response = auth.login("anna")
    assert response.status_code == 302
    page = client.get(f"/people/{user.id}")
    assert "Anna Müller" in page.get_data(as_text=True)

"""Socket events: new posts are announced only to people who may read the group, with ids only."""

from flask.testing import FlaskClient

from tests.posts.helpers import setup_group
from wilma.extensions import socketio
from wilma.posts import polls, services


def connect(app, auth_factory, username):
    """A logged-in browser (its own cookie jar) and its socket."""
    client = FlaskClient(app, use_cookies=True)
    auth_factory(client).login(username)
    socket = socketio.test_client(app, flask_test_client=client)
    assert socket.is_connected()
    return socket


def events(socket, name):
    return [e["args"][0] for e in socket.get_received() if e["name"] == name]


def test_new_post_reaches_members_and_readers_only(app, people, make_group):
    from tests.conftest import Auth

    private, _ = setup_group(make_group, people, "private")
    public = make_group("Open", "public", owner=people["owner"])
    sockets = {name: connect(app, Auth, name) for name in ("member", "outsider", "admin")}
    for s in sockets.values():
        s.get_received()

    hidden = services.create_post(people["owner"], body="private news", group_id=private.id)
    open_post = services.create_post(people["owner"], body="public news", group_id=public.id)

    member = events(sockets["member"], "feed:new_post")
    outsider = events(sockets["outsider"], "feed:new_post")
    admin = events(sockets["admin"], "feed:new_post")
    assert {"group_id": private.id, "post_id": hidden.id} in member
    assert {"group_id": public.id, "post_id": open_post.id} in member
    assert outsider == [{"group_id": public.id, "post_id": open_post.id}]
    assert admin == [{"group_id": public.id, "post_id": open_post.id}]
    assert all(set(e) == {"group_id", "post_id"} for e in member)


def test_secret_group_posts_never_reach_outsiders_socket(app, people, make_group):
    from tests.conftest import Auth

    secret, _ = setup_group(make_group, people, "secret")
    outsider = connect(app, Auth, "outsider")
    outsider.get_received()
    post = services.create_post(people["member"], body="secret plans @outsider", group_id=secret.id)
    received = outsider.get_received()
    assert all(str(post.id) not in repr(e["args"]) for e in received if e["name"] == "feed:new_post")
    assert [e for e in received if e["name"] == "notification"] == []


def test_poll_update_carries_no_results(app, people, make_group):
    from tests.conftest import Auth

    group, post = setup_group(make_group, people, "private")
    watcher = connect(app, Auth, "member")
    watcher.get_received()
    polls.vote(people["owner"], post.poll.id, [post.poll.options[1].id])
    updates = events(watcher, "poll:updated")
    assert updates == [{"poll_id": post.poll.id, "post_id": post.id}]


def test_profile_post_is_announced_to_followers(app, people, make_group):
    from tests.conftest import Auth

    services.follow(people["member"], people["dora"].id)
    follower, stranger = connect(app, Auth, "member"), connect(app, Auth, "outsider")
    follower.get_received()
    stranger.get_received()
    post = services.create_post(people["dora"], body="on my profile")
    assert events(follower, "feed:new_post") == [{"group_id": None, "post_id": post.id}]
    assert events(stranger, "feed:new_post") == []

"""People of the scale data set: the demo's organisation tree, an admin, everyone else, and follows.

Every account has the published demo password (hashed once and reused); usernames are
``vorname.nachname`` with a number when the name is taken, the admin is ``admin``.
"""

from werkzeug.security import generate_password_hash

from wilma.accounts.models import OrgUnit, User
from wilma.accounts.org import seed_org_units
from wilma.demo import DEMO_PASSWORD, ORG_TREE
from wilma.extensions import db
from wilma.posts.models import Follow
from wilma.scale_demo.content import TITLES, ascii_name, person

USER_COLUMNS = ("id", "username", "email", "password_hash", "display_name", "job_title", "org_unit_id", "phone",
                "room", "about", "about_html", "is_admin", "active", "auth_source", "created_at", "updated_at")


def _leaf_units() -> list[int]:
    units = seed_org_units(ORG_TREE)
    db.session.flush()
    parents = {u.parent_id for u in units.values()}
    return [u.id for u in units.values() if u.id not in parents] or [u.id for u in units.values()]


def _users(world, first_id: int, units: list[int]):
    rng, password_hash, taken = world.rng, generate_password_hash(DEMO_PASSWORD), set()
    for n in range(world.scale.users):
        user_id = first_id + n
        if n == 0:
            username, name, title = "admin", "Administrator", "Administration WILMA"
        else:
            first, last = person(rng)
            name, title = f"{first} {last}", rng.choice(TITLES)
            username = base = ascii_name(f"{first}.{last}")
            counter = 1
            while username in taken:
                counter += 1
                username = f"{base}{counter}"
        taken.add(username)
        joined = world.moment(rng.random() * 0.2)
        yield (user_id, username, f"{username}@stadt.example", password_hash, name, title, rng.choice(units),
               f"089 233-{rng.randint(10000, 99999)}", f"{rng.randint(1, 6)}.{rng.randint(100, 450)}", "", "",
               n == 0, True, "local", joined, joined)


def _follows(world):
    rng, ids = world.rng, world.user_ids
    for follower in ids:
        for followed in {rng.choice(ids) for _ in range(rng.randint(1, 18))} - {follower}:
            yield follower, followed, world.moment(0.2 + rng.random() * 0.8)


def generate(world) -> list:
    """Write people and follows; fills ``world.user_ids``. Returns the tables given explicit ids."""
    writer = world.writer
    units = _leaf_units()
    first_id = writer.next_id(User.__table__)
    writer.write(User.__table__, USER_COLUMNS, _users(world, first_id, units), "People")
    world.user_ids = list(range(first_id, first_id + world.scale.users))
    writer.write(Follow.__table__, ("follower_id", "followed_id", "created_at"), _follows(world), "Follows")
    return [User.__table__, OrgUnit.__table__]

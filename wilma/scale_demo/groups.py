"""Groups of the scale data set: 60 % public, 30 % private, 10 % secret, with members and roles.

Group sizes follow a Zipf-like curve, as in a real intranet: a few groups with thousands of members
(the largest is the chat fan-out benchmark's room), most with a few dozen. Everyone is in 2 to 14 groups;
the creator owns the group and larger groups have moderators. Private groups have pending requests.
"""

from itertools import accumulate

from wilma.groups.models import MEMBER, MODERATOR, OWNER, Group, GroupMembership, GroupRequest
from wilma.scale_demo.content import CATEGORIES, COLORS, group_name

VISIBILITY = ["public"] * 6 + ["private"] * 3 + ["secret"]
GROUP_COLUMNS = ("id", "name", "description", "description_html", "visibility", "category", "color",
                 "created_by_id", "created_at", "updated_at")


def _members(world) -> dict[int, list[int]]:
    """Group index -> member ids, the creator first."""
    rng, count = world.rng, world.scale.groups
    weights = [1 / (rank + 1) ** 0.9 for rank in range(count)]
    rng.shuffle(weights)
    cumulative = list(accumulate(weights))
    members: dict[int, dict[int, None]] = {g: {} for g in range(count)}
    for index in range(count):
        members[index][rng.choice(world.user_ids)] = None  # the creator
    for user_id in world.user_ids:
        for index in set(rng.choices(range(count), cum_weights=cumulative, k=rng.randint(2, 14))):
            members[index][user_id] = None
    world.group_weights = weights
    return {index: list(people) for index, people in members.items()}


def generate(world) -> list:
    """Write groups, memberships and requests; fills ``world.groups``."""
    rng, writer, pools = world.rng, world.writer, world.pools
    members = _members(world)
    first_id = writer.next_id(Group.__table__)
    rows = []
    for index in range(world.scale.groups):
        description = rng.choice(pools.descriptions)
        created = world.moment(rng.random() * 0.3)
        visibility = VISIBILITY[rng.randrange(10)]
        rows.append((first_id + index, group_name(rng, index + 1), description.body, description.html, visibility,
                     rng.choice(CATEGORIES), rng.choice(COLORS), members[index][0], created, created))
        world.groups.append({"id": first_id + index, "visibility": visibility, "members": members[index],
                             "weight": world.group_weights[index], "created": created})
    writer.write(Group.__table__, GROUP_COLUMNS, rows, "Groups")

    def memberships():
        for group in world.groups:
            for n, user_id in enumerate(group["members"]):
                role = OWNER if n == 0 else MODERATOR if n % 40 == 1 else MEMBER
                yield group["id"], user_id, role, world.moment(rng.uniform(0.0, 0.3))

    writer.write(GroupMembership.__table__, ("group_id", "user_id", "role", "joined_at"), memberships(), "Members")

    def requests():
        for group in world.groups:
            if group["visibility"] == "private":
                inside = set(group["members"])
                for user_id in {rng.choice(world.user_ids) for _ in range(rng.randint(0, 3))} - inside:
                    yield group["id"], user_id, "request", world.now

    writer.write(GroupRequest.__table__, ("group_id", "user_id", "kind", "created_at"), requests(), "Requests")
    return [Group.__table__]

"""Posts of the scale data set, with comments (some of them replies), likes and a few polls.

Posts spread over the whole time span in id order, land in groups in proportion to the group's size
(5 % on profiles), and are written by members of their group; comments and likes come from people who
can see the post. ``like_count``, ``comment_count`` and the poll counters match the rows written.
"""

from itertools import accumulate

from wilma.posts.models import Comment, Like, Poll, PollOption, PollVote, Post

POST_COLUMNS = ("id", "group_id", "profile_user_id", "author_id", "body", "html", "created_at", "like_count",
                "comment_count")
COMMENT_COLUMNS = ("id", "post_id", "parent_id", "author_id", "body", "html", "created_at", "like_count")
BATCH = 20_000
POLL_EVERY = 997  # about one post in a thousand carries a poll
POLL_OPTIONS = (("Ja", "Nein", "Enthaltung"), ("Montag", "Mittwoch", "Freitag"), ("Vor Ort", "Online"))


def _poll_rows(world, poll_id, option_id, post, pool):
    """A poll on ``post`` with its options and the votes of a few people of ``pool``."""
    rng = world.rng
    labels = rng.choice(POLL_OPTIONS)
    voters = {rng.choice(pool) for _ in range(rng.randint(0, 25))}
    votes = [(poll_id, option_id + rng.randrange(len(labels)), user_id) for user_id in voters]
    counts = [sum(1 for v in votes if v[1] == option_id + i) for i in range(len(labels))]
    poll = (poll_id, post[0], False, post[6] + (world.now - world.start) / 50, len(voters))
    options = [(option_id + i, poll_id, label, i, counts[i]) for i, label in enumerate(labels)]
    return poll, options, votes


def generate(world) -> list:
    rng, scale, writer, pools = world.rng, world.scale, world.writer, world.pools
    if not world.groups:
        return []
    cumulative = list(accumulate(g["weight"] for g in world.groups))
    comments_per_post = scale.comments / max(scale.posts, 1)
    post_id, comment_id = writer.next_id(Post.__table__), writer.next_id(Comment.__table__)
    poll_id, option_id = writer.next_id(Poll.__table__), writer.next_id(PollOption.__table__)
    for batch_start in range(0, scale.posts, BATCH):
        posts, comments, likes, polls, options, votes = [], [], [], [], [], []
        for n in range(batch_start, min(batch_start + BATCH, scale.posts)):
            created = world.moment(0.25 + 0.75 * n / scale.posts)
            if rng.random() < 0.05:
                group, author = None, rng.choice(world.user_ids)
                pool = world.user_ids
            else:
                group = rng.choices(world.groups, cum_weights=cumulative)[0]
                pool = group["members"]
                author = rng.choice(pool)
            body = rng.choice(pools.posts)
            wanted = int(rng.expovariate(1 / (comments_per_post + 0.5)))  # floor: mean as asked
            first_comment = comment_id
            for c in range(wanted):
                text = rng.choice(pools.comments)
                parent = rng.randrange(first_comment, comment_id) if c and rng.random() < 0.15 else None
                comments.append((comment_id, post_id, parent, rng.choice(pool), text.body, text.html,
                                 created + (world.now - created) * (c + 1) / (wanted + 2) / 20, 0))
                comment_id += 1
            likers = {rng.choice(pool) for _ in range(min(int(rng.expovariate(1 / 3)), 60))}
            likes += [(user_id, post_id, created) for user_id in likers]
            posts.append((post_id, group["id"] if group else None, None if group else author, author, body.body,
                          body.html, created, len(likers), wanted))
            if n % POLL_EVERY == POLL_EVERY - 1:
                poll, poll_options, poll_votes = _poll_rows(world, poll_id, option_id, posts[-1], pool)
                polls.append(poll)
                options += poll_options
                votes += poll_votes
                poll_id, option_id = poll_id + 1, option_id + len(poll_options)
            post_id += 1
        writer.write(Post.__table__, POST_COLUMNS, posts, "Posts")
        writer.write(Comment.__table__, COMMENT_COLUMNS, comments, "Comments")
        writer.write(Like.__table__, ("user_id", "post_id", "created_at"), likes, "Likes")
        writer.write(Poll.__table__, ("id", "post_id", "multiple", "closes_at", "voter_count"), polls, "Polls")
        writer.write(PollOption.__table__, ("id", "poll_id", "label", "position", "vote_count"), options, "Polls")
        writer.write(PollVote.__table__, ("poll_id", "option_id", "user_id"), votes, "Polls")
    return [Post.__table__, Comment.__table__, Poll.__table__, PollOption.__table__]

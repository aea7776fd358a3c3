"""Deletions, membership changes and index rebuilds land in the audit log: who, what, when; no text."""

import json

from wilma.chat import messages as chat_messages
from wilma.chat import services as chat
from wilma.groups import services as groups
from wilma.posts import services as posts
from wilma.wiki import services as wiki


def _detail(entry) -> dict:
    return json.loads(entry.detail)


def test_content_deletions_are_recorded_without_their_text(app, make_user, make_group, audit_entries):
    anna, mod = make_user("anna"), make_user("mod")
    group = make_group("Bauamt", visibility="private", members={anna: "member", mod: "moderator"})
    with app.test_request_context():
        mine = posts.create_post(anna, body="Geheimer Entwurf", group_id=group.id)
        theirs = posts.create_post(anna, body="Regelverstoß", group_id=group.id)
        comment = posts.add_comment(anna, mine.id, body="Kommentartext")
        posts.delete_post(anna, mine.id)
        posts.delete_post(mod, theirs.id)
        other = posts.create_post(mod, body="x", group_id=group.id)
        reply = posts.add_comment(anna, other.id, body="Antworttext")
        posts.delete_comment(mod, reply.id)
        page = wiki.create_page(mod, group.id, "Ablage", "Inhalt")
        wiki.delete_page(mod, page.id)
        message, _ = chat_messages.send_message(anna, chat.group_channel(group.id).id, "Chattext")
        chat_messages.delete_message(anna, message.id)

    first, second = audit_entries("post.delete")
    assert (first.actor_name, first.target_id, _detail(first)["by_author"]) == ("anna", str(mine.id), True)
    assert (second.actor_name, second.target_id, _detail(second)["by_author"]) == ("mod", str(theirs.id), False)
    assert _detail(second)["author_id"] == anna.id and _detail(second)["group_id"] == group.id
    [deleted_comment] = audit_entries("comment.delete")
    assert (deleted_comment.actor_name, deleted_comment.target_id) == ("mod", str(reply.id))
    assert _detail(deleted_comment)["post_id"] == other.id and comment.id != reply.id
    [deleted_page] = audit_entries("wiki.page.delete")
    assert (deleted_page.actor_name, deleted_page.target_id) == ("mod", str(page.id))
    [deleted_message] = audit_entries("chat.message.delete")
    assert (deleted_message.actor_name, deleted_message.target_id) == ("anna", str(message.id))
    stored = json.dumps([e.as_dict() for e in audit_entries()], ensure_ascii=False)
    for text in ("Geheimer Entwurf", "Regelverstoß", "Antworttext", "Inhalt", "Chattext"):
        assert text not in stored


def test_membership_changes_and_group_deletion_are_recorded(app, make_user, make_group, audit_entries):
    owner, bert, cara = make_user("owner"), make_user("bert"), make_user("cara")
    group = make_group("Radl", members={owner: "owner", bert: "member", cara: "member"})
    with app.test_request_context():
        groups.change_role(owner, group, bert.id, "moderator")
        groups.change_role(owner, group, bert.id, "moderator")  # no change, no entry
        groups.remove_member(owner, group, cara.id)
        groups.leave(bert, group.id)  # leaving oneself is not an admin matter
        groups.delete_group(owner, group)

    [role] = audit_entries("group.member.role")
    assert (role.actor_name, role.target_label, _detail(role)["from"], _detail(role)["to"]) == (
        "owner", "bert", "member", "moderator")
    [removed] = audit_entries("group.member.remove")
    assert (removed.target_label, _detail(removed)["group_id"]) == ("cara", group.id)
    [deleted] = audit_entries("group.delete")
    assert (deleted.actor_name, deleted.target_label) == ("owner", "Radl")


def test_search_rebuilds_are_recorded_from_the_admin_area_and_the_cli(app, as_admin, admin_post, runner,
                                                                       audit_entries):
    assert admin_post("/admin/search/rebuild", {}).status_code == 302
    thread = app.extensions.get("wilma_search_rebuild_thread")
    if thread is not None:
        thread.join(timeout=60)
    result = runner.invoke(args=["wilma", "search", "rebuild"])
    assert result.exit_code == 0, result.output
    by_admin, by_cli = audit_entries("search.rebuild")
    assert (by_admin.actor_name, _detail(by_admin)["via"]) == ("root", "admin")
    assert (by_cli.actor_name, _detail(by_cli)["via"]) == ("", "cli") and "documents" in _detail(by_cli)

"""THE plugin contract: every hook a city plugin may implement.

A plugin is a Python package (in ``plugins/<name>/`` or installed with a ``wilma.plugins`` entry point)
whose functions are marked with ``@hookimpl``. Rules that keep a plugin written today working tomorrow:

- hook names start with ``wilma_``; the core calls them with keyword arguments only;
- arguments are added, never renamed, and an implementation may accept any subset of them;
- a plugin owns its namespace: blueprint ``<name>``, URLs under ``/<name>/``, templates under
  ``<name>/``, config keys ``<NAME>_*``, tables ``<name>_*``;
- a plugin never patches the core and adds no columns to core tables.

Minimal plugin::

    # plugins/springfield/__init__.py
    from wilma.core.hookspecs import hookimpl

    WILMA_REQUIRES = ">=1.0"

    @hookimpl
    def wilma_branding():
        return {"site_name": "SpringNet", "colors": {"primary": "#005a9c"}}
"""

import pluggy

PROJECT = "wilma"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- set-up -------------------------------------------------------------------------------------------


@hookspec
def wilma_config_defaults() -> dict:
    """Defaults for the plugin's own configuration keys, all named ``<NAME>_*``.

    Instance config and environment variables of the same name override them::

        @hookimpl
        def wilma_config_defaults():
            return {"MUSTERSTADT_DMS_URL": "https://dms.example/akte/{number}"}
    """


@hookspec
def wilma_blueprints() -> list:
    """Blueprints to register: named after the plugin, with URLs under ``/<name>/``::

        bp = Blueprint("musterstadt", __name__, url_prefix="/musterstadt", template_folder="templates")

        @hookimpl
        def wilma_blueprints():
            return [bp]
    """


@hookspec
def wilma_template_folders() -> list:
    """Folders put first in the template loader chain.

    Files under ``<name>/`` are the plugin's own; any other file must have the path of a core template,
    which it then overrides (for example ``accounts/login.html``)::

        @hookimpl
        def wilma_template_folders():
            return [str(Path(__file__).parent / "templates")]
    """


@hookspec
def wilma_template_slot(slot: str, user, profile) -> str | None:
    """HTML for a slot of the base layout: ``head``, ``navigation``, ``footer``, ``profile_sidebar``.

    ``user`` is the viewer (``user.is_authenticated`` is false on the login page); ``profile`` is the
    person shown in ``profile_sidebar`` (else ``None``). ``navigation`` sits inside the ``<ul>`` of the main
    navigation, so answer ``<li>`` elements there. Render with a template of your own so that values are
    escaped; return ``None`` for slots you do not fill::

        @hookimpl
        def wilma_template_slot(slot, user):
            if slot == "footer":
                return render_template("musterstadt/footer.html")
    """


@hookspec(firstresult=True)
def wilma_branding() -> dict | None:
    """The site's identity. The first enabled plugin that answers wins; keys (all optional):
    ``site_name``, ``logo_url``, ``colors`` (``primary``, ``primary_dark``, ``accent``),
    ``footer_links`` (list of ``(label, url)``), ``imprint_url``, ``privacy_url``::

        @hookimpl
        def wilma_branding():
            return {"site_name": "Musterstadt intern", "colors": {"primary": "#c4122f"}}
    """


@hookspec
def wilma_nav_items(user) -> list | None:
    """Extra entries of the main navigation, after the core's: ``[{"label", "url", "key"?}]``.

    ``key`` marks the entry as current on the pages of the blueprint of that name (use the plugin's
    name)::

        @hookimpl
        def wilma_nav_items(user):
            return [{"key": "musterstadt", "label": _l("Radar"), "url": url_for("musterstadt.radar")}]
    """


@hookspec
def wilma_profile_fields() -> list | None:
    """Extra profile fields, stored in the core's ``profile_extra`` table, never as new columns.

    Each field: ``{"key": "<name>_...", "label": ..., "help"?: ..., "max_length"?: 500}``. The field is
    edited on the profile settings page and shown on the profile when it has a value::

        @hookimpl
        def wilma_profile_fields():
            return [{"key": "musterstadt_dienststelle", "label": "Dienststelle"}]
    """


@hookspec
def wilma_org_units() -> list | None:
    """Organisation units to seed, as a tree: ``[{"name", "short"?, "kind"?, "children"?: [...]}]``.

    Added at start-up when missing (matched by name under the same parent); nothing is deleted::

        @hookimpl
        def wilma_org_units():
            return [{"name": "Referat für Arbeit und Wirtschaft", "short": "RAW", "kind": "Referat"}]
    """


@hookspec
def wilma_default_groups() -> list | None:
    """Groups to create at start-up when they do not exist: ``[{"name", "description", "visibility"}]``::

        @hookimpl
        def wilma_default_groups():
            return [{"name": "Azubis", "description": "Die Azubi-Community", "visibility": "public"}]
    """


@hookspec(firstresult=True)
def wilma_authenticate(username: str, password: str) -> dict | None:
    """A login provider: check the credentials against the city's directory.

    Return ``None`` when the provider does not know the user (the next provider, and at last the local
    accounts, are asked), ``{"denied": True}`` when it knows the user and the password is wrong, or the
    person: ``{"username", "email"?, "display_name"?, "job_title"?, "phone"?, "room"?, "source"?}``.
    The core creates the local account of that username (without a password; ``source`` becomes its
    ``auth_source``, default ``"directory"``) or updates its name, title, phone and room, and logs it in.
    The first provider that answers wins::

        @hookimpl
        def wilma_authenticate(username, password):
            entry = my_directory.check(username, password)
            return entry and {"username": entry.uid, "display_name": entry.cn}
    """


@hookspec
def wilma_cli_commands() -> list | None:
    """Click commands, offered as ``flask wilma <plugin> <command>`` (they run in the app context)::

        @hookimpl
        def wilma_cli_commands():
            return [import_staff]
    """


@hookspec
def wilma_render_filters() -> list | None:
    """Functions ``(html: str) -> str`` applied to rendered Markdown before the sanitizer, so that what
    they add is still cleaned (only tags and attributes of the one HTML policy survive). They run when
    text is written (in the app context), and the result is stored::

        @hookimpl
        def wilma_render_filters():
            return [link_file_numbers]
    """


# --- events (called after the change was committed) ------------------------------------------------------


@hookspec
def wilma_user_created(user) -> None:
    """A local account was created (by an admin, the CLI, the demo or a login provider)::

        @hookimpl
        def wilma_user_created(user):
            send_welcome_mail(user.email)
    """


@hookspec
def wilma_user_logged_in(user) -> None:
    """``user`` logged in through the login form (the new session has been committed)::

        @hookimpl
        def wilma_user_logged_in(user):
            record_last_seen(user.id)
    """


@hookspec
def wilma_post_created(post, user) -> None:
    """``user`` created ``post`` (in a group, or on their profile when ``post.group_id`` is ``None``).

    Called after the commit; ``post.body`` is the Markdown source and ``post.html`` the sanitized HTML.
    Keep it quick (queue slow work)::

        @hookimpl
        def wilma_post_created(post, user):
            if post.group_id is None and "#dienstreise" in post.body:
                audit_log.info("Profile post %s by %s", post.id, user.username)
    """


@hookspec
def wilma_group_created(group, user) -> None:
    """A group was created; ``user`` is its first owner. Called after the commit::

        @hookimpl
        def wilma_group_created(group, user):
            logger.info("%s created the group %s (%s)", user.username, group.name, group.visibility)
    """


@hookspec
def wilma_member_joined(group, user) -> None:
    """``user`` became a member of ``group``: joined a public group, was approved, or accepted an
    invitation (not when creating the group: that is ``wilma_group_created``). Called after the commit::

        @hookimpl
        def wilma_member_joined(group, user):
            if group.name == "Azubis":
                welcome_trainee(user)
    """


@hookspec
def wilma_wiki_page_saved(page, revision, user) -> None:
    """A wiki page was saved: created, edited, merged, renamed or an old revision restored.

    Called after the commit, once per new revision. ``page`` is the ``WikiPage`` (``page.group_id`` is
    ``None`` for the city-wide wiki), ``revision`` the new ``WikiRevision`` (``number``, ``body``,
    ``summary``, ``author_id``), ``user`` who saved it. The return value is ignored; an exception is
    logged and does not undo the save::

        @hookimpl
        def wilma_wiki_page_saved(page, revision, user):
            if page.group_id is None:
                audit_log.info("Wiki %s revision %d by %s", page.title, revision.number, user.username)
    """


@hookspec
def wilma_comment_created(comment, user) -> None:
    """``user`` commented on a post (``comment.post_id``; ``comment.parent_id`` is set for a reply).

    Called after the commit::

        @hookimpl
        def wilma_comment_created(comment, user):
            metrics.increment("comments")
    """


@hookspec
def wilma_chat_message_sent(message, user) -> None:
    """A chat message was stored and delivered (called after commit, once per stored message).

    ``message`` is the ``wilma.chat.models.ChatMessage`` (``id``, ``channel_id``, ``body``, ``html``,
    ``created_at``; its channel's ``group_id`` is ``None`` for direct conversations), ``user`` its author.
    A repeated ``client_msg_id`` does not call the hook again. Keep it quick: it runs in the sender's
    request; hand slow work to a queue::

        @hookimpl
        def wilma_chat_message_sent(message, user):
            if "#incident" in message.body:
                pager.alert(f"{user.display_name}: {message.body[:200]}")
    """

"""The reference plugin implements ``wilma_wiki_page_saved``: a real plugin sees every saved revision."""

import pytest
from sqlalchemy import select

from plugins.example.models import ExampleGreeting
from wilma.extensions import db
from wilma.wiki import services


@pytest.fixture
def app_config():
    return {"WILMA_PLUGINS": ["example"]}


def test_example_plugin_records_saved_wiki_pages(make_user, make_group):
    anna = make_user("anna", display_name="Anna Müller")
    group = make_group("Team", members={anna: "owner"})
    page = services.create_page(anna, group.id, "Ablauf", "eins")
    services.save_page(anna, page.id, "zwei", page.current_revision_id)
    messages = list(db.session.scalars(select(ExampleGreeting.message).where(
        ExampleGreeting.kind == "wiki_page_saved").order_by(ExampleGreeting.id)))
    assert messages == ["Thanks for revision 1 of “Ablauf”, Anna Müller!",
                        "Thanks for revision 2 of “Ablauf”, Anna Müller!"]

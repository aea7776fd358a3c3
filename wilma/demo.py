"""Demo content: a small city administration with people, units and, per feature, what it adds.

``load_demo`` does nothing when people already exist, so ``make run`` can call it every time.
Each feature may add a ``demo.py`` with ``load(people, echo)``; it receives the people by username.
"""

from sqlalchemy import func, select

from wilma import import_feature_module, installed_features
from wilma.accounts import services
from wilma.accounts.models import User
from wilma.accounts.org import seed_org_units
from wilma.core.database import commit
from wilma.extensions import db

DEMO_PASSWORD = "wilma-demo-2026"  # noqa: S105 - the published demo password

ORG_TREE = [
    {"name": "Direktorium", "short": "D", "kind": "Referat", "children": [
        {"name": "Amt für Bürgerbeteiligung", "short": "D-B", "kind": "Amt"},
        {"name": "Presse- und Informationsamt", "short": "D-P", "kind": "Amt"},
    ]},
    {"name": "Personal- und Organisationsreferat", "short": "POR", "kind": "Referat", "children": [
        {"name": "Personalentwicklung", "short": "POR-PE", "kind": "Amt", "children": [
            {"name": "Ausbildung", "short": "POR-PE-A", "kind": "Abteilung"},
            {"name": "Fortbildung", "short": "POR-PE-F", "kind": "Abteilung"},
        ]},
        {"name": "Organisation", "short": "POR-O", "kind": "Amt"},
    ]},
    {"name": "IT-Referat", "short": "RIT", "kind": "Referat", "children": [
        {"name": "Digitalisierung", "short": "RIT-D", "kind": "Amt", "children": [
            {"name": "Bürgerportal", "short": "RIT-D-BP", "kind": "Abteilung"},
            {"name": "Intranet", "short": "RIT-D-IN", "kind": "Abteilung"},
        ]},
        {"name": "IT-Service", "short": "RIT-S", "kind": "Amt"},
    ]},
    {"name": "Mobilitätsreferat", "short": "MOR", "kind": "Referat", "children": [
        {"name": "Verkehrsplanung", "short": "MOR-V", "kind": "Amt"},
        {"name": "Radverkehr", "short": "MOR-R", "kind": "Amt"},
    ]},
    {"name": "Kreisverwaltungsreferat", "short": "KVR", "kind": "Referat", "children": [
        {"name": "Bürgerbüro", "short": "KVR-BB", "kind": "Amt"},
        {"name": "Straßenverkehr", "short": "KVR-SV", "kind": "Amt"},
    ]},
]

# username, full name, job title, unit short name
PEOPLE = [
    ("anna", "Anna Müller", "Leiterin Intranet", "RIT-D-IN"),
    ("ben", "Ben Schäfer", "Softwareentwickler", "RIT-D-IN"),
    ("clara", "Clara Weiß", "Produktmanagerin Bürgerportal", "RIT-D-BP"),
    ("deniz", "Deniz Yılmaz", "Systemadministrator", "RIT-S"),
    ("emma", "Emma Groß", "Referentin Digitalisierung", "RIT-D"),
    ("felix", "Felix Bauer", "Ausbilder", "POR-PE-A"),
    ("greta", "Greta Hoffmann", "Auszubildende Verwaltungsfachangestellte", "POR-PE-A"),
    ("hannes", "Hannes Öztürk", "Auszubildender Fachinformatiker", "POR-PE-A"),
    ("ida", "Ida Krüger", "Personalentwicklerin", "POR-PE-F"),
    ("jonas", "Jonas Wagner", "Organisationsberater", "POR-O"),
    ("katrin", "Katrin Becker", "Pressesprecherin", "D-P"),
    ("lukas", "Lukas Schmidt", "Sachbearbeiter Bürgerbeteiligung", "D-B"),
    ("mia", "Mia Fischer", "Verkehrsplanerin", "MOR-V"),
    ("noah", "Noah Weber", "Radverkehrsbeauftragter", "MOR-R"),
    ("olga", "Olga Nowak", "Sachbearbeiterin Bürgerbüro", "KVR-BB"),
    ("paul", "Paul Meyer", "Teamleiter Bürgerbüro", "KVR-BB"),
    ("quirin", "Quirin Huber", "Sachbearbeiter Straßenverkehr", "KVR-SV"),
    ("rosa", "Rosa Lehmann", "Referentin Direktorium", "D"),
    ("sophie", "Sophie Wolf", "Personalreferentin", "POR"),
    ("tim", "Tim Schulz", "IT-Architekt", "RIT"),
    ("ursula", "Ursula Koch", "Abteilungsleiterin Ausbildung", "POR-PE-A"),
    ("viktor", "Viktor Richter", "Datenschutzbeauftragter", "D"),
    ("wiebke", "Wiebke Klein", "UX-Designerin", "RIT-D-BP"),
    ("xaver", "Xaver Strauß", "Mobilitätsmanager", "MOR"),
    ("yasemin", "Yasemin Demir", "Sachbearbeiterin Bürgerbüro", "KVR-BB"),
    ("zoe", "Zoë Neumann", "Auszubildende Verwaltungsinformatik", "POR-PE-A"),
    ("alex", "Alexander Braun", "Leiter IT-Service", "RIT-S"),
    ("birgit", "Birgit Zimmermann", "Sekretariat Referatsleitung", "KVR"),
    ("carlos", "Carlos García", "Verkehrsingenieur", "MOR-V"),
    ("dora", "Dora Hartmann", "Redakteurin Intranet", "RIT-D-IN"),
]


def load_demo(echo=print) -> None:
    if db.session.scalar(select(func.count(User.id))):
        echo("Demo content skipped: the database already has people.")
        return
    units = seed_org_units(ORG_TREE)
    people: dict[str, User] = {}
    admin = services.create_user("admin", DEMO_PASSWORD, email="admin@wilma.example",
                                 display_name="Administrator", is_admin=True)
    people["admin"] = admin
    for username, name, title, unit in PEOPLE:
        user = services.create_user(username, DEMO_PASSWORD, email=f"{username}@wilma.example",
                                    display_name=name, job_title=title)
        user.org_unit = units[unit]
        user.phone = f"0123 4567-{10000 + len(people) * 37}"
        user.room = f"{len(people) % 5 + 1}.{100 + len(people) * 3}"
        people[username] = user
    from wilma.core.markdown import render_markdown

    people["anna"].about = "Ich kümmere mich um **WILMA**. Fragen gern im Chat!"
    people["anna"].about_html = render_markdown(people["anna"].about)
    commit()
    for feature in installed_features():
        module = import_feature_module(feature, "demo")
        if module is not None:
            module.load(people=people, echo=echo)
            commit()
    echo(f"Demo content loaded: {len(people)} people in {len(units)} organisation units.")

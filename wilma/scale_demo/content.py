"""German-ish content for the scale data set: names, group names, and pools of rendered bodies.

Rendering Markdown and sanitizing costs about a millisecond per text, far too much for millions of rows.
So a few hundred bodies of each kind are generated and rendered once, the way the app renders them
(``render_markdown`` for posts and comments, ``render_inline_markdown`` for chat, ``render_wiki`` for wiki
revisions), and rows pick from these pools: the stored HTML is always what the app would have stored.
"""

import random
from dataclasses import dataclass

FIRST = ("Anna Ben Clara Deniz Emma Felix Greta Hannes Ida Jonas Katrin Lukas Mia Noah Olga Paul Quirin "
         "Rosa Sophie Tim Ursula Viktor Wiebke Xaver Yasemin Zoë Alexander Birgit Carlos Dora Elif Florian "
         "Gabriele Heinz Ingrid Jürgen Karin Lena Markus Nina Oliver Petra Ralf Sabine Thomas Uwe Vanessa "
         "Wolfgang Agnieszka Stefan Monika Andreas Claudia Michael Julia Sebastian Leonie Matthias Aylin "
         "Tobias Franziska Dariusz Maximilian Johanna Sven Laura Ömer Marie Kai Svenja Bernd Jana").split()
LAST = ("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
        "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
        "Werner Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser "
        "Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger "
        "Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin "
        "Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Yılmaz Kaya Demir "
        "Nowak Kowalski García Rossi Öztürk Popović").split()
TITLES = ("Sachbearbeiter:in", "Teamleitung", "Abteilungsleitung", "Referent:in", "Verwaltungsfachangestellte:r",
          "Ingenieur:in", "Systemadministration", "Softwareentwicklung", "Sekretariat", "Auszubildende:r",
          "Sozialpädagog:in", "Erzieher:in", "Bauleitung", "Projektleitung", "Bibliothekar:in",
          "Datenschutzkoordination", "Haushaltssachbearbeitung", "Personalsachbearbeitung")
TOPICS = ("Radverkehr", "Digitalisierung", "E-Akte", "Bürgerbüro", "Haushalt", "Personalentwicklung",
          "Ausbildung", "Klimaschutz", "Stadtplanung", "Tiefbau", "Kita-Planung", "Schulbau", "Feuerwehr",
          "Bibliotheken", "Kultur", "Sport", "Wohnungsbau", "Grünflächen", "Abfallwirtschaft", "Vergabe",
          "IT-Service", "Datenschutz", "Barrierefreiheit", "Öffentlichkeitsarbeit", "Ehrenamt", "Integration",
          "Gesundheitsschutz", "Friedhöfe", "Märkte", "Verkehrsplanung", "Energie", "Photovoltaik",
          "Homeoffice", "Gleichstellung", "Betriebssport", "Chor", "Laufgruppe", "Fotografie", "Brettspiele")
KINDS = ("Projektgruppe", "Arbeitskreis", "Team", "Netzwerk", "Fachrunde", "Stammtisch", "Jour fixe",
         "Steuerungskreis", "Community", "AG")
PLACES = ("Nord", "Süd", "Ost", "West", "Mitte", "Schwabing", "Giesing", "Pasing", "Sendling", "Moosach",
          "Bogenhausen", "Haidhausen", "Au", "Laim", "Freimann", "Riem")
CATEGORIES = ("Kommunikation", "Mobilität", "Ausbildung", "IT und Digitalisierung", "Personal", "Bauen",
              "Umwelt", "Soziales", "Kultur und Freizeit", "Verwaltung", "Gesundheit", "Sicherheit")
COLORS = ("#0b5cad", "#2e7d32", "#e8a33d", "#6a1b9a", "#8e2424", "#00796b", "#5d4037", "#37474f")

NOUNS = ("Antrag", "Bescheid", "Sitzung", "Vorlage", "Beschluss", "Frist", "Formular", "Termin", "Baustelle",
         "Umleitung", "Förderung", "Satzung", "Schulung", "Dienstreise", "Ausschreibung", "Stellungnahme",
         "Haushaltsplan", "Stadtratsvorlage", "Bürgeranfrage", "Prüfung", "Rückmeldung", "Checkliste",
         "Präsentation", "Abstimmung", "Vertretung", "Besprechung", "Einarbeitung", "Fortbildung")
ADJECTIVES = ("neue", "aktuelle", "überarbeitete", "wichtige", "geänderte", "gemeinsame", "nächste", "digitale")
VERBS = ("liegt jetzt vor", "ist abgestimmt", "muss bis Freitag raus", "wurde verschoben", "ist freigegeben",
         "braucht noch eine Rückmeldung", "steht im Laufwerk", "ist im Wiki dokumentiert", "läuft gut an")
OPENERS = ("Kurze Info:", "Hallo zusammen,", "Zur Erinnerung:", "Gute Nachrichten!", "Frage in die Runde:",
           "Update:", "Liebe Kolleginnen und Kollegen,", "Moin!", "Servus miteinander,")
CLOSERS = ("Danke euch!", "Fragen gern in die Kommentare.", "Viele Grüße", "Bis Montag!",
           "Rückmeldungen bitte bis Donnerstag.", "Schönes Wochenende!", "👍", "Wer hat Zeit?")
CHAT = ("Bin gleich da", "Passt!", "Danke dir 🙏", "Kannst du kurz draufschauen?", "Ich rufe dich an",
        "Ist im Teams-Kalender", "Mittagessen um 12?", "Hab's hochgeladen", "Top, danke!", "Moment, suche ich raus",
        "Sitzung dauert länger", "**Wichtig:** Frist ist morgen", "Siehe https://intranet.example/wiki",
        "Können wir das im Jour fixe besprechen?", "`Az. 123-45/2026` ist erledigt", "Bin heute im Homeoffice")


@dataclass(frozen=True)
class Body:
    body: str
    html: str


def _sentence(rng: random.Random) -> str:
    return f"Die {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} zum Thema {rng.choice(TOPICS)} {rng.choice(VERBS)}."


def post_source(rng: random.Random) -> str:
    lines = [rng.choice(OPENERS), " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))]
    roll = rng.random()
    if roll < 0.25:
        lines.append("\n".join(f"- {rng.choice(NOUNS)} **{rng.choice(TOPICS)}**" for _ in range(rng.randint(2, 4))))
    elif roll < 0.4:
        lines.append(f"Details unter https://intranet.example/{rng.choice(TOPICS).lower()}")
    lines.append(rng.choice(CLOSERS))
    return "\n\n".join(lines)


def comment_source(rng: random.Random) -> str:
    return rng.choice((rng.choice(CLOSERS), _sentence(rng), f"{rng.choice(OPENERS)} {_sentence(rng)}",
                       "Sehr gut, *danke* für die Info!", "Kann ich bestätigen."))


def wiki_source(rng: random.Random, title: str) -> str:
    parts = [f"# {title}", _sentence(rng)]
    for _ in range(rng.randint(1, 3)):
        parts.append(f"## {rng.choice(NOUNS)}")
        parts.append(" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))))
        if rng.random() < 0.4:
            parts.append("\n".join(f"1. {_sentence(rng)}" for _ in range(3)))
    return "\n\n".join(parts)


def group_name(rng: random.Random, number: int) -> str:
    return f"{rng.choice(KINDS)} {rng.choice(TOPICS)} {rng.choice(PLACES)} {number}"


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def ascii_name(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ë": "e", "ı": "i", "é": "e",
                           "ć": "c", "í": "i"})
    return text.lower().translate(table)


class Pools:
    """Rendered bodies, made once per run: posts, comments, chat messages, wiki revisions, descriptions."""

    def __init__(self, rng: random.Random, size: int = 300):
        from wilma.core.markdown import render_inline_markdown, render_markdown
        from wilma.wiki.markup import render_wiki

        def pool(make, render, n=size):
            return [Body(s, render(s)) for s in (make() for _ in range(n))]

        self.posts = pool(lambda: post_source(rng), render_markdown)
        self.comments = pool(lambda: comment_source(rng), render_markdown)
        self.chat = pool(lambda: rng.choice(CHAT) if rng.random() < 0.5 else _sentence(rng),
                         render_inline_markdown)
        self.descriptions = pool(lambda: f"{rng.choice(OPENERS)} {_sentence(rng)} {_sentence(rng)}",
                                 render_markdown, n=100)
        titles = [f"{rng.choice(NOUNS)} {rng.choice(TOPICS)}" for _ in range(size)]
        self.wiki = [Body(s, render_wiki(s, None, resolve=lambda _key: None).html)
                     for s in (wiki_source(rng, t) for t in titles)]

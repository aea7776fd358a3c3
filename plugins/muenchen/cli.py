"""``flask wilma muenchen load-radar``: fill an empty radar with the city's sample projects."""

import click
from sqlalchemy import func, select

from plugins.muenchen.models import RadarProject
from wilma.core.database import commit
from wilma.extensions import db

SAMPLE_PROJECTS = [
    ("Online-Terminvereinbarung", "Bürgerservice", "Betrieb", "Termine in allen Bürgerbüros online buchen."),
    ("Digitaler Bauantrag", "Bürgerservice", "Umsetzung", "Bauanträge vollständig digital einreichen."),
    ("Chatbot für Bürgeranfragen", "Bürgerservice", "Pilot", "Häufige Fragen rund um die Uhr beantworten."),
    ("E-Akte", "Arbeiten in der Verwaltung", "Umsetzung", "Papierlose Sachbearbeitung in allen Referaten."),
    ("WiLMA", "Arbeiten in der Verwaltung", "Betrieb", "Das soziale Intranet der Stadtverwaltung."),
    ("Mobiles Arbeiten 2.0", "Arbeiten in der Verwaltung", "Pilot", "Arbeitsplätze für hybrides Arbeiten."),
    ("Glasfaser für Schulen", "Infrastruktur", "Umsetzung", "Alle Schulen mit Glasfaser anbinden."),
    ("Smarte Straßenbeleuchtung", "Infrastruktur", "Idee", "Beleuchtung nach Bedarf steuern."),
    ("Offene Daten", "Daten und KI", "Betrieb", "Das Open-Data-Portal der Stadt."),
    ("Digitaler Zwilling", "Daten und KI", "Pilot", "Ein 3D-Stadtmodell für Planung und Simulation."),
    ("KI-Assistenz für Vermerke", "Daten und KI", "Idee", "Entwürfe für Vermerke und Bescheide."),
]


@click.command("load-radar")
def load_radar():
    """Load the sample projects into an empty Digitalisierungsradar."""
    if db.session.scalar(select(func.count(RadarProject.id))):
        click.echo("The radar already has projects; nothing loaded.")
        return
    for name, field, stage, description in SAMPLE_PROJECTS:
        db.session.add(RadarProject(name=name, field=field, stage=stage, description=description, url=""))
    commit()
    click.echo(f"Loaded {len(SAMPLE_PROJECTS)} radar projects.")

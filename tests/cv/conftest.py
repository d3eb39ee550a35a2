"""Real CV files for the intake tests: a two-page PDF and a DOCX built here, TXT and Markdown kept in tests/data/cv."""

import io
from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

DATA = Path(__file__).parents[1] / "data" / "cv"

PDF_JOBS = [
    (
        "Senior Backend Engineer — Acme Payments Ltd (Jan 2020 – Present)",
        [
            "Designed an event-driven settlement service in Go and PostgreSQL handling 2M transactions a day "
            "with 99.99% availability across three regions",
            "Cut p99 API latency from 900 ms to 180 ms by introducing Redis caching and query tuning",
            "Mentored four engineers and ran the backend hiring loop",
        ],
    ),
    (
        "Software Engineer — Globex Corporation (Jun 2017 – Dec 2019)",
        [
            "Built internal REST APIs with Python and Django used by 40 teams",
            "Migrated deployments to Docker and Kubernetes, halving release time",
        ],
    ),
    (
        "Junior Developer — Initech (2015 – 2017)",
        ["Maintained the billing system written in Java and fixed 200+ bugs"],
    ),
]


def build_pdf_cv() -> bytes:
    """A realistic two-page CV laid out with reportlab's flowing paragraphs (long bullets wrap)."""
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]
    story = [
        Paragraph("Jane Doe", styles["Title"]),
        Paragraph("Senior Backend Engineer", styles["Heading3"]),
        Paragraph("jane.doe@example.com | +1 415 555 0134 | https://github.com/janedoe", body),
        Paragraph("Summary", heading),
        Paragraph(
            "Backend engineer with eight years of experience building reliable payment systems. "
            "I care about simple designs, good tests and calm on-call rotations.",
            body,
        ),
        Paragraph("Skills", heading),
        Paragraph("Languages: Python, Go, SQL", body),
        Paragraph("Infrastructure: Kubernetes, Terraform, AWS, Kafka", body),
        Paragraph("Experience", heading),
    ]
    for title, bullets in PDF_JOBS:
        story.append(Paragraph(title, styles["Heading4"]))
        story.extend(Paragraph(f"• {bullet}", body) for bullet in bullets)
        story.append(Spacer(1, 6))
    story += [
        PageBreak(),
        Paragraph("Projects", heading),
        Paragraph("Ledgerline — open-source double-entry bookkeeping library for Python (Python, PostgreSQL)", body),
        Paragraph("Education", heading),
        Paragraph("MSc Computer Science — University of Edinburgh (2013 – 2015)", body),
        Paragraph("BSc Mathematics — University of Leeds (2010 – 2013)", body),
        Paragraph("Certifications", heading),
        Paragraph("AWS Certified Solutions Architect – Associate", body),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Jane Doe CV").build(story)
    return buffer.getvalue()


def build_docx_cv() -> bytes:
    """A Word CV with list-style bullets, a skills table and a job in a role/company/date line layout."""
    document = Document()
    document.add_heading("Marcus Chen", level=0)
    document.add_paragraph("Growth Marketing Manager")
    document.add_paragraph("marcus.chen@example.net · (555) 201-7788 · linkedin.com/in/marcuschen")
    document.add_heading("Profile", level=1)
    document.add_paragraph("Marketer who grows B2B SaaS pipelines with experiments, content and lifecycle email.")
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=3, cols=2)
    rows = [
        ("Marketing", "SEO, Content Marketing, Email Marketing"),
        ("Analytics", "Google Analytics, Looker, SQL"),
        ("Tools", "HubSpot, Salesforce, Figma"),
    ]
    for row, (label, items) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, items
    document.add_heading("Experience", level=1)
    document.add_paragraph("Growth Marketing Manager")
    document.add_paragraph("Brightwave Software")
    document.add_paragraph("March 2021 – Present")
    document.add_paragraph("Grew marketing-sourced pipeline by 65% in 18 months", style="List Bullet")
    document.add_paragraph("Launched lifecycle email programme in HubSpot reaching 80k users", style="List Bullet")
    document.add_paragraph("Bluefin Analytics | Marketing Specialist | 2018 – 2021")
    document.add_paragraph("Ran paid search campaigns with a $40k monthly budget", style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph("University of Toronto")
    document.add_paragraph("BCom Marketing")
    document.add_paragraph("2014 – 2018")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def pdf_cv() -> bytes:
    return build_pdf_cv()


@pytest.fixture(scope="session")
def docx_cv() -> bytes:
    return build_docx_cv()


@pytest.fixture(scope="session")
def txt_cv() -> bytes:
    return (DATA / "plain_cv.txt").read_bytes()


@pytest.fixture(scope="session")
def md_cv() -> bytes:
    return (DATA / "markdown_cv.md").read_bytes()

"""Render a study report as one self-contained HTML page (figures inline, no network)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from asteroid_spectra.report.sections import Section, Table

if TYPE_CHECKING:
    from asteroid_spectra.report.study import StudyReport

__all__ = ["render"]

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2433; background: #fafbfc; }
header { background: #1d2433; color: #fff; padding: 1.2em 2em; }
header h1 { margin: 0 0 .2em; font-size: 1.6em; }
header p { margin: 0; color: #c8d0e0; }
nav { padding: .6em 2em; background: #e9edf3; position: sticky; top: 0; }
nav a { margin-right: 1.2em; color: #1d4ed8; text-decoration: none; }
nav a.failed { color: #b91c1c; }
main { max-width: 1100px; margin: 0 auto; padding: 1em 2em 4em; }
section { background: #fff; border: 1px solid #dde3ea; border-radius: 6px;
          padding: .4em 1.4em 1.2em; margin: 1.4em 0; overflow-x: auto; }
section h2 { display: flex; justify-content: space-between; align-items: baseline; }
.badge { font-size: .6em; font-weight: normal; color: #475569; }
.status-failed { border-color: #b91c1c; }
.status-failed .badge { color: #b91c1c; }
p.summary { font-size: 1.05em; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .92em; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
th, td { border-bottom: 1px solid #e5e7eb; padding: .25em .8em; text-align: left; }
th { background: #f3f5f8; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #eef0f3; }
figcaption { color: #475569; font-size: .9em; }
pre.error { background: #fef2f2; color: #7f1d1d; padding: .8em; overflow-x: auto; }
footer { color: #64748b; font-size: .85em; text-align: center; padding: 2em; }
"""


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return (
        f"<table><caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _section(section: Section) -> str:
    badge = (
        "failed"
        if section.status != "ok"
        else ("reused from cache" if section.cached else f"{section.seconds:.0f} s")
    )
    parts = [
        f'<section id="{escape(section.key)}" class="status-{escape(section.status)}" '
        f'data-status="{escape(section.status)}">',
        f'<h2>{escape(section.title)} <span class="badge">{escape(badge)}</span></h2>',
        f'<p class="summary">{escape(section.summary)}</p>',
    ]
    if section.error:
        parts.append(f'<pre class="error">{escape(section.error)}</pre>')
    parts.extend(_table(t) for t in section.tables)
    for figure in section.figures:
        parts.append(
            f'<figure><img alt="{escape(figure.title)}" '
            f'src="data:image/png;base64,{figure.png_base64}">'
            f"<figcaption><b>{escape(figure.title)}.</b> {escape(figure.caption)}</figcaption>"
            "</figure>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def render(report: StudyReport) -> str:
    """Return the report as an HTML document that opens from disk, offline."""
    meta = report.meta
    nav = "".join(
        f'<a href="#{escape(s.key)}" class="{"failed" if s.status != "ok" else ""}">'
        f"{escape(s.title.split(':')[0])}</a>"
        for s in report.sections
    )
    failed = report.failed
    status = (
        f"{len(failed)} stage(s) failed: {', '.join(failed)}"
        if failed
        else f"all {len(report.sections)} stages ran"
    )
    mode = "quick run" if meta.get("quick") else "full run"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>asteroid-spectra study report</title><style>{STYLE}</style></head>
<body>
<header><h1>From asteroid spectra to taxonomy: the study</h1>
<p>{escape(meta.get("package", ""))} · {mode}, seed {meta.get("seed")} ·
{escape(str(meta.get("created", "")))} · {meta.get("seconds", 0):.0f} s · {escape(status)}</p>
</header>
<nav>{nav}</nav>
<main>
{"".join(_section(s) for s in report.sections)}
</main>
<footer>Every number is in results.json beside this page. Data: SMASSII (Bus &amp; Binzel
2002) and Gaia DR3 (Gaia Collaboration, Galluccio et al. 2023); see Data and provenance.
Code digest {escape(str(meta.get("code", "")))}; {escape(str(meta.get("machine", "")))}.
</footer>
</body></html>
"""

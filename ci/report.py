"""Gate reports: report.md, report.json, report.html (pictures inline) and junit.xml."""
import html
import json
import os
import time
from xml.sax.saxutils import escape, quoteattr

SCHEMA_VERSION = 1


def verdict_word(check):
    if check["status"] == "pass":
        return "pass"
    if check["status"] == "undecided":  # the oracle's budget ran out: neither pass nor bug
        return "undecided"
    return "FAIL" if check["gated"] else "finding"


def gate_word(meta):
    return meta.get("verdict") or ("PASS" if meta["passed"] else "FAIL")


def write_all(out_dir, meta, checks):
    os.makedirs(out_dir, exist_ok=True)
    write_json(os.path.join(out_dir, "report.json"), meta, checks)
    write_markdown(os.path.join(out_dir, "report.md"), meta, checks)
    write_html(os.path.join(out_dir, "report.html"), meta, checks)
    write_junit(os.path.join(out_dir, "junit.xml"), meta, checks)


def write_json(path, meta, checks):
    doc = {"schema": SCHEMA_VERSION, **meta, "checks": checks}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def table_rows(checks):
    for c in checks:
        counts = ", ".join(f"{v} {k}" for k, v in c["counts"].items()) or "-"
        yield [c["ring"], c["checker"], verdict_word(c), counts, f"{c['seconds']:.1f} s"]


HEADER = ["ring", "checker", "verdict", "counts", "time"]


def write_markdown(path, meta, checks):
    lines = [f"# ringcheck gate: {gate_word(meta)}", "",
             f"Mode {meta['mode']}, {meta['seconds']:.0f} s, {meta['machine']}, commit {meta['commit']}.", "",
             "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(checks)]
    for c in checks:
        if c["status"] != "pass":
            lines += ["", f"## {c['ring']} / {c['checker']}: {verdict_word(c)}", "", "```",
                      c["detail"].strip() or "(no output)", "```"]
            if c.get("svg"):
                lines.append(f"Picture: `{c['svg']}`")
            if c.get("replay"):
                lines.append(f"Replay: `{c['replay']}`")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def svg_inline(path):
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return f"<p>(picture {html.escape(path)} missing)</p>"
    start = text.find("<svg")
    return text[start:] if start >= 0 else "<p>(not an SVG)</p>"


def write_html(path, meta, checks):
    rows = []
    for c, row in zip(checks, table_rows(checks)):
        cls = {"pass": "pass", "FAIL": "fail", "finding": "finding", "undecided": "undecided"}[row[2]]
        rows.append("<tr class='%s'>%s</tr>" % (cls, "".join(f"<td>{html.escape(x)}</td>" for x in row)))
    details = []
    for c in checks:
        if c["status"] == "pass":
            continue
        block = [f"<h2 id='{html.escape(c['ring'])}-{html.escape(c['checker'])}'>"
                 f"{html.escape(c['ring'])} / {html.escape(c['checker'])}: {verdict_word(c)}</h2>",
                 f"<pre>{html.escape(c['detail'].strip())}</pre>"]
        if c.get("svg"):
            block.append(f"<div class='picture'>{svg_inline(c['svg'])}</div>")
        if c.get("replay"):
            block.append(f"<p>Replay: <code>{html.escape(c['replay'])}</code></p>")
        details.append("\n".join(block))
    title = f"ringcheck gate: {gate_word(meta)}"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #bbb; padding: 4px 10px; text-align: left; }}
tr.pass td:nth-child(3) {{ color: #176f2c; font-weight: bold; }}
tr.fail td:nth-child(3) {{ color: #b00020; font-weight: bold; }}
tr.finding td:nth-child(3) {{ color: #a65f00; font-weight: bold; }}
tr.undecided td:nth-child(3) {{ color: #5a4fa0; font-weight: bold; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; }}
.picture svg {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
</style></head><body>
<h1>{title}</h1>
<p>Mode {html.escape(meta['mode'])}, {meta['seconds']:.0f} s, {html.escape(meta['machine'])}, commit {html.escape(meta['commit'])}.</p>
<table><tr>{''.join(f'<th>{h}</th>' for h in HEADER)}</tr>
{chr(10).join(rows)}
</table>
{chr(10).join(details)}
</body></html>
"""
    with open(path, "w") as f:
        f.write(page)


def write_junit(path, meta, checks):
    failures = sum(1 for c in checks if c["status"] == "fail" and c["gated"])
    skipped = sum(1 for c in checks if c["status"] == "undecided")
    cases = []
    for c in checks:
        name = quoteattr(f"{c['ring']}.{c['checker']}")
        body = ""
        if c["status"] == "undecided":  # neither pass nor failure: JUnit's closest word is "skipped"
            body = f'<skipped message="undecided: the oracle\'s budget ran out">{escape(c["detail"])}</skipped>'
        elif c["status"] != "pass":
            tag = "failure" if c["gated"] else "system-out"
            attr = ' message="check failed"' if c["gated"] else ""
            body = f"<{tag}{attr}>{escape(c['detail'])}</{tag}>"
        cases.append(f'  <testcase classname="ringcheck.gate" name={name} time="{c["seconds"]:.3f}">{body}</testcase>')
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write(f'<testsuite name="ringcheck-gate" tests="{len(checks)}" failures="{failures}" skipped="{skipped}" '
                f'time="{meta["seconds"]:.3f}" timestamp="{time.strftime("%Y-%m-%dT%H:%M:%S")}">\n')
        f.write("\n".join(cases) + "\n</testsuite>\n")

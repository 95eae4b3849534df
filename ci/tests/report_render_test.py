#!/usr/bin/env python3
"""The gate's HTML report renders in headless Chromium with its verdict table and pictures.

With a folder argument, checks the report a real gate run wrote there (failing rows with pictures).
Without, it builds a report itself:

Writes a report with one passing and one failing check (whose counterexample picture is an SVG
with a distinctive colour), has Chromium render the DOM and a screenshot, and checks both: the
picture is in the rendered page, and the screenshot shows its colour and the failure's red."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import report  # noqa: E402

PICTURE_COLOUR = (0x12, 0x34, 0xEE)  # nothing else on the page is this blue
SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" id="counterexample">
<rect x="10" y="10" width="380" height="100" fill="#1234ee"/>
<text x="20" y="60" fill="white">value 17 was popped before it was pushed</text></svg>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser(args, out_dir):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={os.path.join(out_dir, 'profile')}"]
    return subprocess.run([chromium(), *flags, *args], capture_output=True, text=True, timeout=120)


def png_pixels(path):
    """Decodes an 8-bit, non-interlaced RGB or RGBA PNG into a list of (r, g, b)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG format"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return [tuple(r[x * channels:x * channels + 3]) for r in rows for x in range(width)]


def near(colour, target, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target))


WORK = tempfile.TemporaryDirectory(prefix="ringcheck-report-")  # pages, screenshots, browser profile; removed at exit


def check_real_report(folder):
    """A report the gate wrote for a failing run: every failure's picture must be in the page."""
    out = tempfile.mkdtemp(dir=WORK.name)
    page = "file://" + os.path.abspath(os.path.join(folder, "report.html"))
    dom = browser(["--dump-dom", page], out)
    assert dom.returncode == 0, f"chromium --dump-dom failed: {dom.stderr[-500:]}"
    pictures = dom.stdout.count("<svg")
    assert "FAIL" in dom.stdout and pictures >= 2, f"expected failures with pictures, found {pictures} pictures"
    shot = os.path.join(out, "report.png")
    browser([f"--screenshot={shot}", "--window-size=1200,3000", page], out)
    pixels = png_pixels(shot)
    red = sum(1 for p in pixels if near(p, (0xB0, 0x00, 0x20), 40))
    drawn = sum(1 for p in pixels if p != (255, 255, 255))
    assert red > 20 and drawn > 50000, f"the report does not look rendered ({red} red, {drawn} non-white pixels)"
    print(f"gate report renders: {pictures} pictures, {drawn} drawn pixels")
    return 0


def main():
    if not chromium():
        print("report_render_test: chromium is not installed (./ringcheck setup installs it)", file=sys.stderr)
        return 1
    if len(sys.argv) > 1:
        return check_real_report(sys.argv[1])
    out = tempfile.mkdtemp(dir=WORK.name)
    svg = os.path.join(out, "counterexample.svg")
    with open(svg, "w") as f:
        f.write(SVG)
    checks = [
        {"ring": "spsc_ring", "checker": "unit", "status": "pass", "gated": True, "counts": {"tests": 42},
         "seconds": 1.0, "detail": "", "svg": None, "replay": None},
        {"ring": "mpmc_ring", "checker": "stress-tsan", "status": "fail", "gated": True,
         "counts": {"operations": 1000}, "seconds": 2.0, "detail": "value 17 was popped before it was pushed",
         "svg": svg, "replay": "./ringcheck repro out/stress/repro-1"},
    ]
    meta = {"mode": "quick", "verdict": "fail", "passed": False, "seconds": 3.0, "checking_seconds": 3.0,
            "budget_seconds": 3.0, "undecided": 0, "machine": "test", "commit": "test"}
    report.write_all(out, meta, checks)
    page = "file://" + os.path.join(out, "report.html")

    dom = browser(["--dump-dom", page], out)
    assert dom.returncode == 0, f"chromium --dump-dom failed: {dom.stderr[-500:]}"
    assert 'id="counterexample"' in dom.stdout, "the counterexample picture is not in the rendered page"
    assert "mpmc_ring" in dom.stdout and "FAIL" in dom.stdout, "the verdict table is not in the rendered page"

    shot = os.path.join(out, "report.png")
    result = browser([f"--screenshot={shot}", "--window-size=1000,900", page], out)
    assert os.path.exists(shot), f"chromium wrote no screenshot: {result.stderr[-500:]}"
    pixels = png_pixels(shot)
    blue = sum(1 for p in pixels if near(p, PICTURE_COLOUR))
    red = sum(1 for p in pixels if near(p, (0xB0, 0x00, 0x20), 40))
    assert blue > 5000, f"the picture is not visible in the screenshot ({blue} pixels of its colour)"
    assert red > 20, f"the FAIL verdict is not visible in the screenshot ({red} red pixels)"
    print(f"report renders: picture {blue} px, FAIL verdict {red} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())

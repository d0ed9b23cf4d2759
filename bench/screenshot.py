"""Screenshot of the seeds graph page for the README (docs/graph.png).

    python bench/screenshot.py [output/graph.html] [docs/graph.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium  # noqa: E402


def main() -> int:
    page_path = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "output" / "graph.html")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "docs" / "graph.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector('body[data-ready="1"]', timeout=60_000)
        page.evaluate("window.kgPage.search('张江长三角科技城平湖园')")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

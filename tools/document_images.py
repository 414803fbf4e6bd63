"""Make the page images in docs/DOCUMENTS.md: the 2027 plan appendix and a half-year results
report of the example config, rendered by LibreOffice, first page of each at 100 dpi.

The report needs acknowledgements: it uses a throwaway SQLite database in which about two
thirds of the tasks due in the period are marked done, some of them late (a made-up but
plausible half year). Run: .venv/bin/python tools/document_images.py  (needs soffice, pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reminderd import acks, tokens  # noqa: E402
from reminderd.documents import plan_appendix, render, results_report  # noqa: E402
from reminderd.runtime import load_runtime  # noqa: E402
from reminderd.store import open_store  # noqa: E402

HANOI = dt.timezone(dt.timedelta(hours=7))


def main() -> None:
    rt = load_runtime(ROOT / "config" / "reminderd.toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "plan.docx").write_bytes(render(plan_appendix.build(rt, 2027, today=dt.date(2026, 12, 7)), "docx"))
        store = open_store(f"sqlite:///{out / 'acks.db'}")
        start, end, today = dt.date(2026, 1, 1), dt.date(2026, 5, 25), dt.date(2026, 5, 22)
        tid, _ = tokens.create(store, "access", "department/so-ngoai-vu", "Phòng Lễ tân",
                               dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
        for i, t in enumerate(results_report.due_tasks(rt, start, end)):
            if i % 3 == 2 or t.due >= today:
                continue  # every third left undone
            late = i % 5 == 4
            day = t.due + dt.timedelta(days=3 if late else -1)
            at = dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=HANOI)
            by = f"token {tid}: Phòng Lễ tân" if t.owner == "so-ngoai-vu" else f"{t.owner}@example.gov.vn"
            acks.mark_done(store, t.event.id, t.rule.id, t.occurrence.year, by,
                           "web" if t.owner == "so-ngoai-vu" else "email", "", at)
        rows = results_report.gather(rt, store, start, end, today)
        report = results_report.build(rt, rows, start, end, today=today, store=store)
        (out / "report.docx").write_bytes(render(report, "docx"))
        store.dispose()
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out),
                        str(out / "plan.docx"), str(out / "report.docx")], check=True, capture_output=True)
        for name, image in (("plan", "documents-plan"), ("report", "documents-report")):
            subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                            str(out / f"{name}.pdf"), str(ROOT / "docs" / image)], check=True)
            print(ROOT / "docs" / f"{image}.png")


if __name__ == "__main__":
    main()

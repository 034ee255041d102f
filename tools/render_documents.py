"""Regenerate the rendered documents in raw/ and tests/fixtures/ from the seed text extracts.

    python tools/render_documents.py        (or: make fixtures)

The seed text extracts in tests/fixtures/text/ are the real documents the project was
created from. Their HTML and PDF renderings are rebuilt here so they can be regenerated
and reviewed; the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_html import kenexa_page, salary_com_page  # noqa: E402
from render_pdf import RE_NIH_BIG, browser_print, caliper_job_model, caliper_synthetic_model, kenexa_print, salary_com_print  # noqa: E402

TEXT = ROOT / "tests" / "fixtures" / "text"
SALARY_COM = {
    "client_service_specialist_ii": "customer-service-job-list/client-service-specialist-ii",
    "top_customer_service_executive": "customer-service-job-list/top-customer-service-executive",
    "customer_service_manager": "customer-service-job-list/customer-service-manager",
}


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    for slug, url_path in SALARY_COM.items():
        text = (TEXT / f"salary_com_{slug}.txt").read_text(encoding="utf-8")
        write(ROOT / "raw" / "salary_com" / f"{slug}.html", salary_com_page(text))
        url = f"https://www.salary.com/business/skills-model/tour/{url_path}"
        write(ROOT / "tests" / "fixtures" / "pdf" / f"salary_com_{slug}_print.pdf", salary_com_print(text, url))
    kenexa = (TEXT / "kenexa_customer_service_management.txt").read_text(encoding="utf-8")
    write(ROOT / "raw" / "kenexa" / "customer_service_management.html", kenexa_page(kenexa))
    write(ROOT / "tests" / "fixtures" / "pdf" / "kenexa_customer_service_management_print.pdf",
          kenexa_print(kenexa, "Customer Service Management \u2013 UF Human Resources", "https://teams-titles.hr.ufl.edu/job-competency/customer-service-management/"))
    nih = (ROOT / "raw" / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    write(ROOT / "tests" / "fixtures" / "pdf" / "nih_federal_budget_process_print.pdf",
          browser_print(nih, "Federal Budget Process | NIH Office of Human Resources", "https://hr.nih.gov/competency/federal-budget-process", RE_NIH_BIG))
    caliper = (TEXT / "caliper_client_service_specialist.txt").read_text(encoding="utf-8")
    write(ROOT / "raw" / "caliper" / "client_service_specialist.pdf", caliper_job_model(caliper))
    write(ROOT / "tests" / "fixtures" / "pdf" / "caliper_synthetic_inside_sales_representative.pdf", caliper_synthetic_model())


if __name__ == "__main__":
    main()

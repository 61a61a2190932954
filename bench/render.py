"""Certificate render: the tuned renderer against a naive write_pdf per certificate.

The tuned renderer is measured as deployed: `make bench` (like `make run` and
`make test`) first runs `manage.py prepare_certificate_fonts`, and so does this
benchmark (it does nothing when the fonts are up to date). The naive baseline
renders the same template with the system fonts and nothing shared.
"""

import io

from bench.common import Row, alternate, median_ms, setup_django

RUNS = 15


def run() -> list[Row]:
    setup_django()
    from django.core.management import call_command

    from certificates import pdf
    from certificates.credential import sample_certificate_data

    call_command("prepare_certificate_fonts", stdout=io.StringIO())
    data = sample_certificate_data()
    tuned, naive = alternate(
        lambda: pdf.render_pdf(data), lambda: pdf.render_pdf_naive(data), runs=RUNS
    )
    ratio = median_ms(tuned) / median_ms(naive)
    return [
        Row(
            f"certificate render, tuned vs naive (median of {RUNS}, same process)",
            f"{median_ms(tuned):.0f} ms vs {median_ms(naive):.0f} ms = {ratio:.2f} ×",
            "≤ 0.55 ×",
            ratio <= 0.55,
        ),
        Row(
            "bilingual certificate render, median",
            f"{median_ms(tuned):.0f} ms",
            "≤ 120 ms",
            median_ms(tuned) <= 120,
        ),
        Row(
            "WeasyPrint subsets fonts with HarfBuzz",
            str(pdf.harfbuzz_subsetting_available()),
            "True",
            pdf.harfbuzz_subsetting_available(),
        ),
        Row(
            "tuned render embeds the prepared GB2312 font subsets",
            str(pdf.prepared_fonts_in_use()),
            "True",
            pdf.prepared_fonts_in_use(),
        ),
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    print_rows(run())

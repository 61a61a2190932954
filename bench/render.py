"""Certificate render: the tuned renderer against a naive write_pdf per certificate."""

from bench.common import Row, alternate, median_ms, setup_django

RUNS = 15


def run() -> list[Row]:
    setup_django()
    from certificates import pdf
    from certificates.credential import sample_certificate_data

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
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    print_rows(run())

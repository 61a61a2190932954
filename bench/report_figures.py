"""Unified statistics at provincial scale: 1,000,000 exam attempts, 300,000 enrolments and
200,000 certificates (plus 50,000 enterprise verifications) in PostgreSQL.

The generator writes the small tables (a government body, 4 standards × 3 levels, 60
schools in 10 provinces, 20 enterprises, accreditations, 120 courses, 480 cohorts, 240 exams)
through the ORM and the large ones with INSERT ... SELECT generate_series (100,000
students, each enrolled in 3 courses and sitting 5 exams twice). Then it times:

- the refresh of the precomputed facts (reports.rollups.refresh_run), once;
- the statistics page and GET /api/v1/statistics/ as the body's regulator, with Django's
  test client in process (no web server in between), for several filter combinations,
  interleaved, STATISTICS_RUNS rounds (p50 and p99 over every request of a kind);
- the page counted live from the tables (no facts), a few rounds, for comparison.

Targets (issue 12): every page and API call under 1 s.
"""

import os
import time

from bench import stack
from bench.common import Row, percentile, setup_django

RUNS = int(os.environ.get("STATISTICS_RUNS", "20"))
LIVE_RUNS = int(os.environ.get("STATISTICS_LIVE_RUNS", "2"))
STUDENTS = int(os.environ.get("STATISTICS_STUDENTS", "100000"))
CERTIFICATES = int(os.environ.get("STATISTICS_CERTIFICATES", "200000"))
VERIFICATIONS = int(os.environ.get("STATISTICS_VERIFICATIONS", "50000"))
PROVINCES = [
    "Guangdong",
    "Zhejiang",
    "Jiangsu",
    "Fujian",
    "Shandong",
    "Henan",
    "Hubei",
    "Sichuan",
    "Hunan",
    "Anhui",
]
SCHOOLS, ENTERPRISES, COURSES_PER_SCHOOL, COHORTS_PER_COURSE = 60, 20, 2, 4


def _small_tables():
    """The organisations, standards, accreditations, courses, cohorts and exams (ORM)."""
    from datetime import date

    from courses.models import Cohort, Course
    from exams.models import Accreditation, Exam, SkillLevel, SkillStandard
    from organizations.models import ApiKey, Organization
    from organizations.services import membership_grant, person_create

    def person(username, organization, role):
        user = person_create(username=username, password=None, email=f"{username}@example.org")
        membership_grant(user=user, organization=organization, role=role)
        return user

    body = Organization.objects.create(
        kind="government", code="bench-bureau", name_en="Bench Skills Bureau", name_zh="基准技能局"
    )
    regulator = person("bench-regulator", body, "regulator")
    enterprises = [
        Organization.objects.create(
            kind="enterprise", code=f"bench-e{n}", name_en=f"Enterprise {n}", name_zh=f"企业{n}"
        )
        for n in range(ENTERPRISES)
    ]
    for n, enterprise in enumerate(enterprises):
        ApiKey.objects.create(
            organization=enterprise, name="HR", prefix=f"be{n:06d}", key_hash="x", scopes=[]
        )
    levels = []
    for s in range(4):
        standard = SkillStandard.objects.create(
            code=f"bench-std-{s}",
            name_en=f"Bench standard {s}",
            name_zh=f"基准标准{s}",
            owner=body,
            status="published",
        )
        for level in (1, 2, 3):
            levels.append(
                SkillLevel.objects.create(
                    standard=standard, level=level, name_en=f"L{level}", name_zh=f"{level}级"
                )
            )
    exams = []
    for n in range(SCHOOLS):
        school = Organization.objects.create(
            kind="school",
            code=f"bench-s{n}",
            name_en=f"School {n}",
            name_zh=f"学校{n}",
            region=PROVINCES[n % len(PROVINCES)],
        )
        teacher = person(f"bench-t{n}", school, "teacher")
        for level in levels:
            Accreditation.objects.create(
                school=school,
                standard=level.standard,
                level=level.level,
                valid_from=date(2020, 1, 1),
                enterprise_partner=enterprises[(n + level.level) % ENTERPRISES],
            )
        for c in range(COURSES_PER_SCHOOL):
            course = Course.objects.create(
                code=f"bench-c{n}-{c}",
                title_en=f"Course {n}-{c}",
                title_zh=f"课程{n}-{c}",
                school=school,
                is_published=True,
            )
            course.partners.set([enterprises[(n + c) % ENTERPRISES]])
            for k in range(COHORTS_PER_COURSE):
                Cohort.objects.create(course=course, name=f"Class {k}", teacher=teacher)
            for e in range(2):
                exams.append(
                    Exam.objects.create(
                        title_en=f"Exam {n}-{c}-{e}",
                        title_zh="考试",
                        organization=school,
                        skill_level=levels[(n + c * 2 + e) % len(levels)],
                        course=course,
                        attempts_allowed=3,
                        is_published=True,
                    )
                )
    return regulator, body


def _large_tables() -> dict:
    """Students, enrolments, attempts, certificates and verifications (SQL)."""
    from django.db import connection

    with connection.cursor() as cursor:

        def run(sql, params=()):
            started = time.perf_counter()
            cursor.execute(sql, params)
            return cursor.rowcount, time.perf_counter() - started

        run("SELECT setseed(0.42)")
        run(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined)
            SELECT '!', false, 'bench-p' || n, '', '', '', false, true, now()
            FROM generate_series(1, %s) AS n
            """,
            [STUDENTS],
        )
        # Ordered lists of the bench's students, courses and exams (row_number from 0).
        run(
            """CREATE TEMP TABLE b_students AS SELECT row_number() OVER (ORDER BY id) - 1 AS i,
            id FROM auth_user WHERE username LIKE 'bench-p%%'"""
        )
        run(
            """CREATE TEMP TABLE b_courses AS SELECT row_number() OVER (ORDER BY id) - 1 AS i,
            id FROM courses_course WHERE code LIKE 'bench-c%%'"""
        )
        run(
            """CREATE TEMP TABLE b_exams AS SELECT row_number() OVER (ORDER BY e.id) - 1 AS i,
            e.id, e.course_id FROM exams_exam e JOIN b_courses c ON c.id = e.course_id"""
        )
        # random() in a subquery's select list: drawn again for every row.
        enrolments = run(
            """
            INSERT INTO courses_enrollment (student_id, course_id, cohort_id, status,
                                            enrolled_at, completed_at)
            SELECT q.student_id, q.course_id,
                   (SELECT h.id FROM courses_cohort h WHERE h.course_id = q.course_id
                    ORDER BY h.id OFFSET q.cohort LIMIT 1),
                   q.status, q.at,
                   CASE WHEN q.status = 'completed' THEN q.at + interval '60 days' END
            FROM (
                SELECT s.id AS student_id, c.id AS course_id, s.i %% 4 AS cohort,
                       (ARRAY['active', 'completed', 'completed', 'withdrawn'])
                           [1 + floor(random() * 4)::int] AS status,
                       now() - interval '1 day' * floor(random() * 1095) AS at
                FROM b_students s
                CROSS JOIN generate_series(0, 2) AS k
                JOIN b_courses c ON c.i = (s.i * 7 + k * 37) %% 120
            ) AS q
            """
        )
        attempts = run(
            """
            INSERT INTO exams_attempt (exam_id, student_id, number, status, started_at,
                                       deadline, submitted_at, graded_at, auto_submitted,
                                       total_percent, passed)
            SELECT q.exam_id, q.student_id, q.n, q.status, q.at, q.at + interval '2 hours',
                   q.at + interval '90 minutes',
                   CASE WHEN q.status = 'graded' THEN q.at + interval '1 day' END,
                   false, CASE WHEN q.status = 'graded' THEN q.score END,
                   CASE WHEN q.status = 'graded' THEN q.score >= 60 END
            FROM (
                SELECT e.id AS exam_id, s.id AS student_id, n,
                       CASE WHEN random() < 0.85 THEN 'graded' ELSE 'submitted' END AS status,
                       now() - interval '1 day' * (floor(random() * 1095) + 30 * (2 - n)) AS at,
                       round((random() * 100)::numeric, 2) AS score
                FROM b_students s
                CROSS JOIN generate_series(0, 4) AS k
                CROSS JOIN generate_series(1, 2) AS n
                JOIN b_exams e ON e.i = (s.i * 13 + k * 17) %% 240
            ) AS q
            """
        )
        certificates = run(
            """
            INSERT INTO certificates_certificate (serial, kind, snapshot, holder_name_native,
                holder_name_latin, standard_code, level, issued_on, expires_on, status,
                revocation_reason, status_note, is_current, status_list_index, render_state,
                render_tries, pdf, pdf_sha256, credential_jwt, show_full_name, show_scores,
                created_at, holder_id, school_id, enterprise_id, government_id, attempt_id,
                skill_level_id)
            SELECT 'BENCH' || a.id, 'skill_level', '{}'::jsonb, '', '', st.code, l.level,
                   (a.submitted_at + interval '7 days')::date,
                   (a.submitted_at + interval '3 years')::date,
                   CASE WHEN random() < 0.03 THEN 'revoked' ELSE 'valid' END, '', '', true,
                   10000000 + row_number() OVER (ORDER BY a.id), 'done', 0, '', '', '',
                   false, false, now(), a.student_id, ex.organization_id,
                   (SELECT p.organization_id FROM courses_course_partners p
                    WHERE p.course_id = ex.course_id ORDER BY p.id LIMIT 1),
                   st.owner_id, a.id, l.id
            FROM exams_attempt a
            JOIN exams_exam ex ON ex.id = a.exam_id
            JOIN exams_skilllevel l ON l.id = ex.skill_level_id
            JOIN exams_skillstandard st ON st.id = l.standard_id
            WHERE a.passed AND st.code LIKE 'bench-std-%%'
            ORDER BY a.id
            LIMIT %s
            """,
            [CERTIFICATES],
        )
        verifications = run(
            """
            INSERT INTO certificates_verification (certificate_id, serial_queried, channel,
                result, api_key_prefix, created_at)
            SELECT c.id, c.serial, 'api', 'valid', 'be' || lpad((n %% 20)::text, 6, '0'),
                   now() - interval '1 day' * floor(random() * 700)
            FROM generate_series(1, %s) AS n
            JOIN certificates_certificate c ON c.status_list_index = 10000000 + (n * 3 %% %s) + 1
            """,
            [VERIFICATIONS, CERTIFICATES],
        )
        run("ANALYZE")
    return {
        "enrolments": enrolments,
        "attempts": attempts,
        "certificates": certificates,
        "verifications": verifications,
    }


QUERIES = [
    {},
    {"granularity": "quarter", "by": "standard"},
    {"by": "school", "region": "Guangdong"},
    {"standard": "bench-std-1", "level": "2", "granularity": "year", "by": "partner"},
]


def _time(client, url, params) -> float:
    started = time.perf_counter()
    response = client.get(url, params)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, params, response.status_code)
    return elapsed


def _rollup_step_seconds(refresh_id: int) -> float:
    """The refresh's last step (the facts added up into the rollup) run again on its
    facts, inside a transaction rolled back: what that step costs."""
    from django.db import connection, transaction

    from reports import rollups

    sql, params = rollups._rollup_sql(refresh_id)
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from reports import rollups, services
    from reports.models import Refresh

    started = time.perf_counter()
    regulator, _body = _small_tables()
    sizes = _large_tables()
    generated = time.perf_counter() - started
    client = Client()
    client.force_login(regulator)
    # The bench measures the statistics, not the second-factor gate in front of them.
    settings.STAFF_MFA_REQUIRED = False
    page, api = "/reports/", "/api/v1/statistics/"

    live = [_time(client, page, QUERIES[0]) for _ in range(LIVE_RUNS)] or [float("nan")]

    refresh, _created = rollups.refresh_request()
    started = time.perf_counter()
    refresh = rollups.refresh_run(refresh.pk)
    refresh_seconds = time.perf_counter() - started
    assert refresh.status == Refresh.Status.DONE
    rollup_seconds = _rollup_step_seconds(refresh.pk)
    cache.clear()
    started = time.perf_counter()
    warmed = services.warm_defaults()
    warm_seconds = time.perf_counter() - started
    # The regulator's first page, its default filters precomputed by the refresh task.
    first_page = _time(client, page, {})

    # Cold: the first reading of each filter set after the refresh (nothing cached yet).
    cold = {page: [], api: []}
    for params in QUERIES:
        for url in cold:
            cache.clear()
            cold[url].append(_time(client, url, params))
    # Warm: the same readings again, the refresh's counts in the cache (a dropped round
    # first, as the cold readings above cleared the cache between them).
    for params in QUERIES:
        for url in cold:
            _time(client, url, params)
    times = {page: [], api: []}
    for _ in range(RUNS):
        for params in QUERIES:
            for url in times:
                times[url].append(_time(client, url, params))

    def p(url, q):
        return percentile(times[url], q) * 1000

    size = (
        f"{sizes['attempts'][0]:,} attempts, {sizes['enrolments'][0]:,} enrolments, "
        f"{sizes['certificates'][0]:,} certificates, {sizes['verifications'][0]:,} verifications"
    )
    n = RUNS * len(QUERIES)
    return [
        Row(
            "statistics data generated",
            f"{size} in {generated:.0f} s",
            "≥ 1M / 300k / 200k",
            sizes["attempts"][0] >= 1_000_000
            and sizes["enrolments"][0] >= 300_000
            and sizes["certificates"][0] >= 200_000,
        ),
        Row(
            "statistics facts refresh (once), its rollup step included",
            f"{refresh_seconds:.1f} s, {refresh.rows:,} facts, {refresh.rollup_rows:,} "
            f"rollup rows (the rollup step alone, timed again: {rollup_seconds:.1f} s)",
            "recorded",
            True,
        ),
        Row(
            f"statistics defaults precomputed after the refresh ({warmed} body)",
            f"{warm_seconds:.1f} s; the regulator's first page then {first_page * 1000:.0f} ms",
            "first page < 1000 ms",
            first_page < 1,
        ),
        Row(
            f"statistics page, regulator, first reading of {len(QUERIES)} filter sets (max)",
            f"{max(cold[page]) * 1000:.0f} ms ({', '.join(f'{t * 1000:.0f}' for t in cold[page])})",
            "< 1000 ms",
            max(cold[page]) < 1,
        ),
        Row(
            "statistics API, first reading, same (max)",
            f"{max(cold[api]) * 1000:.0f} ms ({', '.join(f'{t * 1000:.0f}' for t in cold[api])})",
            "< 1000 ms",
            max(cold[api]) < 1,
        ),
        Row(
            f"statistics page, regulator, {len(QUERIES)} filter sets × {RUNS}, cached (p50 / p99)",
            f"{p(page, 50):.0f} / {p(page, 99):.0f} ms (n={n})",
            "p99 < 1000 ms",
            p(page, 99) < 1000,
        ),
        Row(
            "statistics API, same, cached (p50 / p99)",
            f"{p(api, 50):.0f} / {p(api, 99):.0f} ms (n={n})",
            "p99 < 1000 ms",
            p(api, 99) < 1000,
        ),
        Row(
            f"statistics page counted live, no facts (median of {LIVE_RUNS})",
            f"{sorted(live)[len(live) // 2] * 1000:.0f} ms",
            "for comparison",
            True,
        ),
    ]


if __name__ == "__main__":
    from bench.common import print_rows

    print_rows(run())

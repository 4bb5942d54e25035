"""Pages and exports at a province's and at the national size, on PostgreSQL.

Loads generated data (`partrack generate`) into the database DATABASE_URL names, once: a second
run with the same --agencies reuses it. Then times each page over --requests requests (after one
to warm up) through Django's test client in this process (no network, no web server: the
figures are PARtrack's own time, database included), prints the median and the 95th percentile
and the number of SQL queries, for every kind of page (home, plan list, a plan's tasks, task,
my unit, to do, overview, ranking, periods, period board, unit report, consolidated report,
tasks across agencies, inspections, indicators and registers, indices, grading, notifications)
and the API's list endpoints (with a read token). Beside the wall time it prints this process's
CPU time (median and p95) and the CPU time of the PostgreSQL process serving the connection
(mean per request, from /proc): on a machine shared with other work, CPU + DB is what a request
costs, the wall time adds the waits for a CPU. Then it streams the CSV and XLSX exports of
every task the person reads, with the time to the first byte, the total and the peak memory
(tracemalloc). `--only TEXT` keeps the pages whose name holds TEXT; `--profile N` prints
cProfile's N costliest functions for each. `--first-in-line` (as root) puts this process and
its PostgreSQL connection at nice -20, ahead of other work on a shared machine.

    createdb -h 127.0.0.1 -U postgres partrack_bench_province
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partrack_bench_province \\
        .venv/bin/python bench/pages.py --agencies 200 --tasks-per-plan 36 --updates-per-task 4
    # the national size: 4,000 agencies, 152,000 tasks, 608,000 updates
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partrack_bench_national \\
        .venv/bin/python bench/pages.py --agencies 4000 --tasks-per-plan 38 --updates-per-task 4

Never point it at a database holding real agencies: it refuses, as `partrack generate` does.
"""

import argparse
import atexit
import cProfile
import gc
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# Production settings (DEBUG off: cached templates, no debug bookkeeping), with the static
# files collected into a folder of the run's own.
STATIC = tempfile.mkdtemp(prefix="partrack-bench-static-")
atexit.register(shutil.rmtree, STATIC, ignore_errors=True)
os.environ["STATIC_ROOT"] = STATIC
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partrack.settings")
os.environ.setdefault("PARTRACK_INSECURE_DEV_KEY", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# 30 requests a page to each API endpoint: above the per-token limit of a minute.
os.environ.setdefault("PARTRACK_API_RATE_LIMIT", "100000")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from partrack.api.models import ApiToken  # noqa: E402
from partrack.org.models import Agency, Membership, Role  # noqa: E402
from partrack.plans.models import Plan, ProgressUpdate, Task  # noqa: E402
from partrack.province.generate import generate, real_agencies  # noqa: E402

YEAR = 2026


def load(agencies, tasks_per_plan, updates_per_task):
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if real_agencies().exists():
        sys.exit("this database holds real agencies: use an empty one")
    have = Agency.objects.filter(is_generated=True, parent__isnull=False).count()
    if have == agencies:
        print(f"reusing {have} generated agencies")
        return
    if have:
        sys.exit(f"this database holds {have} generated agencies, not {agencies}: drop it first")
    started = time.monotonic()
    made = generate(
        agencies=agencies,
        tasks_per_plan=tasks_per_plan,
        updates_per_task=updates_per_task,
        year=YEAR,
    )
    print(f"{made} in {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")


def client_for(user):
    client = Client(HTTP_X_FORWARDED_PROTO="https")  # as behind the TLS proxy
    client.force_login(user)
    return client


def api_client_for(user):
    """A client that calls the API as `user` with a read token (no session)."""
    _token, raw = ApiToken.issue(
        user=user, name="bench", scope=ApiToken.Scope.READ, now=timezone.now()
    )
    return Client(HTTP_X_FORWARDED_PROTO="https", HTTP_AUTHORIZATION=f"Bearer {raw}")


def server_cpu_seconds():
    """CPU seconds the PostgreSQL process serving this connection has used (0 elsewhere).

    Read from /proc (the benchmark runs beside the database): with the process's own CPU time,
    it gives a page's cost without the waits for a CPU that a shared, loaded machine adds.
    """
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_in_line():
    """Give this process and the PostgreSQL process serving it the highest CPU priority
    (nice -20; needs root), so that on a machine shared with other work the scheduler runs
    them whenever they are ready: their wall times then approach an idle machine's."""
    os.setpriority(os.PRIO_PROCESS, 0, -20)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        os.setpriority(os.PRIO_PROCESS, connection.connection.info.backend_pid, -20)


def percentile95(values):
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def time_page(client, url, requests):
    """Wall time (median, p95 ms), this process's CPU time (median, p95 ms), the database
    server's mean CPU ms a request and the number of queries, over `requests` requests.

    On a machine of its own, a request takes about its CPU time here plus the server's
    (the data is in memory); the wall time adds the waits for a CPU when others share it.
    """
    client.get(url)  # warm: templates compiled, connection open
    times, cpu = [], []
    server_started = server_cpu_seconds()
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    server = (server_cpu_seconds() - server_started) * 1000 / requests
    return (
        statistics.median(times),
        percentile95(times),
        statistics.median(cpu),
        percentile95(cpu),
        max(server, 0.0),
        len(queries),
    )


def profile(client, url, requests, lines):
    """cProfile over `requests` requests: where a page's Python time goes."""
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(lines)


def time_export(client, url):
    """(first byte s, total s, CPU s, database server CPU s, peak bytes, size): timed without
    tracemalloc (it slows Python down several times), then run again under it for the peak
    memory."""
    server_started = server_cpu_seconds()
    started, started_cpu = time.perf_counter(), time.process_time()
    chunks = iter(client.get(url).streaming_content)
    size = len(next(chunks))
    first = time.perf_counter() - started
    for chunk in chunks:
        size += len(chunk)
    total, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    server = max(server_cpu_seconds() - server_started, 0.0)
    tracemalloc.start()
    for _chunk in client.get(url).streaming_content:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return first, total, cpu, server, peak, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--tasks-per-plan", type=int, default=36)
    parser.add_argument("--updates-per-task", type=int, default=4)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--exports-only", action="store_true", help="skip the pages")
    parser.add_argument("--no-exports", action="store_true", help="skip the exports")
    parser.add_argument(
        "--exports-of", choices=["province", "national"], help="only this person's exports"
    )
    parser.add_argument("--only", help="only the pages whose name holds this text")
    parser.add_argument(
        "--first-in-line",
        action="store_true",
        help="run this process and its database connection at nice -20 (root only)",
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="print cProfile's N costliest functions a page"
    )
    args = parser.parse_args()
    load(args.agencies, args.tasks_per_plan, args.updates_per_task)

    User = get_user_model()
    province = User.objects.get(username="gen-tinh-001")
    office = User.objects.get(username="gen-g00001")
    national, _ = User.objects.get_or_create(
        username="gen-national", defaults={"is_superuser": True}
    )
    plan = Plan.objects.get(agency__short_name="G00001")
    task = Task.objects.filter(plan=plan).order_by("pk").first()
    print(
        f"{Agency.objects.filter(parent__isnull=False).count()} agencies, "
        f"{Task.objects.count()} tasks, {ProgressUpdate.objects.count()} updates "
        f"({connection.vendor}, conn_max_age={connection.settings_dict['CONN_MAX_AGE']})"
    )
    unit = plan.agency.units.order_by("order")[1]
    member = User.objects.filter(username="gen-bench-unit").first()
    if member is None:
        member = User.objects.create(username="gen-bench-unit", first_name="Phòng")
        Membership.objects.create(user=member, agency=plan.agency, unit=unit, role=Role.MEMBER)
    period = plan.periods.order_by("unit_due", "pk").first()
    P, T, R = {"plan_id": plan.pk}, {"task_id": task.pk}, {"period_id": period.pk}
    web = [
        ("home (province)", province, reverse("home")),
        ("home (national)", national, reverse("home")),
        ("plan list (province)", province, reverse("plan_list")),
        ("plan list (national)", national, reverse("plan_list") + "?page=3"),
        ("plan's tasks (office)", office, reverse("plan_detail", kwargs=P)),
        ("plan's tasks, filtered (office)", office, reverse("plan_detail", kwargs=P) + "?q=ho so"),
        ("plan's facts (office)", office, reverse("plan_facts", kwargs=P)),
        ("task (office)", office, reverse("task_detail", kwargs=T)),
        ("task (unit member)", member, reverse("task_detail", kwargs=T)),
        ("my unit (unit member)", member, reverse("my_unit")),
        ("to do (office)", office, reverse("todo")),
        ("overview (office)", office, reverse("plan_overview", kwargs=P)),
        ("overview (province)", province, reverse("plan_overview", kwargs=P)),
        ("ranking (office)", office, reverse("plan_ranking", kwargs=P)),
        ("periods (office)", office, reverse("period_list", kwargs=P)),
        ("period board (office)", office, reverse("period_board", kwargs=R)),
        (
            "unit report (office)",
            office,
            reverse("unit_report", kwargs={**R, "unit_id": unit.pk}),
        ),
        ("consolidated report (office)", office, reverse("consolidated_report", kwargs=R)),
        ("tasks across agencies (province)", province, reverse("across_tasks")),
        (
            "tasks, filtered (province)",
            province,
            reverse("across_tasks") + "?q=luong xanh&state=overdue&area=III",
        ),
        ("tasks across agencies (national)", national, reverse("across_tasks") + "?sort=-due"),
        ("tasks, search (national)", national, reverse("across_tasks") + "?q=ho so truc tuyen"),
        ("inspections (office)", office, reverse("plan_inspection", kwargs=P)),
        ("indicators (office)", office, reverse("indicator_list", kwargs=P)),
        ("activities register (office)", office, reverse("activity_list", kwargs=P)),
        ("initiatives register (office)", office, reverse("initiative_list", kwargs=P)),
        ("documents register (office)", office, reverse("document_list", kwargs=P)),
        ("period figures (office)", office, reverse("figure_period", kwargs=R)),
        ("indices (office)", office, reverse("indices_index")),
        ("indices (province)", province, reverse("indices_index")),
        ("grading (province)", province, reverse("grading_index")),
        ("notifications (office)", office, reverse("notification_list")),
    ]
    api = [
        ("API plans (province)", province, "/api/v1/plans"),
        ("API plans (national)", national, "/api/v1/plans?page=3"),
        ("API areas (office)", office, f"/api/v1/plans/{plan.pk}/areas"),
        ("API tasks (office)", office, f"/api/v1/plans/{plan.pk}/tasks"),
        ("API task (office)", office, f"/api/v1/tasks/{task.pk}"),
        ("API progress (office)", office, f"/api/v1/tasks/{task.pk}/progress"),
        ("API evidence (office)", office, f"/api/v1/tasks/{task.pk}/evidence"),
        ("API periods (office)", office, f"/api/v1/plans/{plan.pk}/periods"),
        ("API unit reports (office)", office, f"/api/v1/periods/{period.pk}/unit-reports"),
    ]
    pages = [(name, client_for, user, url) for name, user, url in web] + [
        (name, api_client_for, user, url) for name, user, url in api
    ]
    if args.only:
        pages = [page for page in pages if args.only.lower() in page[0].lower()]
    if args.first_in_line:
        first_in_line()
    # As partrack/wsgi.py does in a production worker once started: what is loaded by now stays
    # out of the garbage collector's full passes.
    gc.freeze()
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, "
        f"nice {os.getpriority(os.PRIO_PROCESS, 0)}"
    )
    if args.exports_only:
        pages = []
    print(
        f"\n{'page':38} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'CPU p95':>8} "
        f"{'DB CPU':>7} {'CPU+DB p95':>10} {'queries':>8}"
    )
    for name, make_client, user, url in pages:
        median, p95, cpu, cpu95, server, queries = time_page(make_client(user), url, args.requests)
        print(
            f"{name:38} {median:10.1f} {p95:8.1f} {cpu:7.1f} {cpu95:8.1f} {server:7.1f} "
            f"{cpu95 + server:10.1f} {queries:8d}"
        )
        if args.profile:
            profile(make_client(user), url, args.requests, args.profile)
    if args.no_exports:
        return

    print(
        f"\n{'export':38} {'rows':>8} {'1st byte s':>10} {'total s':>8} {'CPU s':>6} "
        f"{'DB CPU s':>8} {'CPU+DB s':>8} {'peak MB':>8} {'MB':>6}"
    )
    for name, user in (("province", province), ("national", national)):
        if args.exports_of and name != args.exports_of:
            continue
        rows = (
            Task.objects.filter(plan__agency__in=Agency.objects.visible_to(user)).count()
            if user != national
            else Task.objects.count()
        )
        for kind in ("csv", "xlsx"):
            first, total, cpu, server, peak, size = time_export(
                client_for(user), f"/nhiem-vu-cac-co-quan/xuat.{kind}?year=all"
            )
            print(
                f"{kind.upper() + ' (' + name + ')':38} {rows:8d} {first:10.3f} {total:8.2f} "
                f"{cpu:6.2f} {server:8.2f} {cpu + server:8.2f} {peak / 2**20:8.1f} "
                f"{size / 2**20:6.1f}"
            )


if __name__ == "__main__":
    main()

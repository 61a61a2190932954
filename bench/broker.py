"""Celery broker: Redis and RabbitMQ side by side, on the production worker configuration.

For each broker one worker runs as bin/serve runs it (prefork -c 2, prefetch 1, acks
late, 1,000 tasks per child), consuming a queue of its own (bench_broker, so nothing else
on either broker is touched), with bench.broker_tasks.done: one push onto a Redis list
in the cache database (db 11), the same for both brokers.

1. Throughput: BROKER_TASKS (2,000) tasks sent in a loop, timed from the first send
   until all have run.
2. Round-trip latency: BROKER_PINGS (200) tasks sent one at a time, each timed from
   send until the benchmark's BLPOP sees it run.
   1 and 2 alternate broker by broker (one fresh worker each) for BROKER_ROUNDS (2);
   then BROKER_PLAIN_ROUNDS (2) more with the children never recycled, a diagnostic
   row that shows the brokers' own cost apart from bin/serve's --max-tasks-per-child.
3. Durability: BROKER_QUEUED (500) tasks queued with no worker consuming, the broker
   restarted gracefully, then the queue counted and drained by a worker (every wait is
   bounded). RabbitMQ is the machine's own (rabbitmqctl stop_app / start_app;
   BROKER_RESTART_RABBITMQ=0 leaves it alone). The shared Redis on 6379 is never
   restarted: its row reads its persistence settings, and a private redis-server on
   BROKER_REDIS_PORT (6391) is restarted once without persistence and once with the
   append-only file.

A broker that cannot be reached gets rows that say why (verdict MISSES). There is no
numeric target: each row records a measurement.
"""

import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress

from bench import stack
from bench.common import Row, percentile, setup_django

TASKS = int(os.environ.get("BROKER_TASKS", "2000"))
PINGS = int(os.environ.get("BROKER_PINGS", "200"))
QUEUED = int(os.environ.get("BROKER_QUEUED", "500"))
ROUNDS = int(os.environ.get("BROKER_ROUNDS", "2"))
RESTART_RABBITMQ = os.environ.get("BROKER_RESTART_RABBITMQ", "1") != "0"
REDIS_URL = stack.ENV["CELERY_BROKER_URL"]  # redis://127.0.0.1:6379/12
RABBITMQ_URL = os.environ.get("BROKER_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
PRIVATE_PORT = int(os.environ.get("BROKER_REDIS_PORT", "6391"))
QUEUE = "bench_broker"
TARGET = "recorded (no target)"
WORKER = "1 worker prefork -c 2, prefetch 1, acks late, 1,000 tasks per child (as bin/serve)"
# The same worker without recycling its children: the brokers' own cost, recycling aside.
PLAIN_ROUNDS = int(os.environ.get("BROKER_PLAIN_ROUNDS", "2"))
NO_RECYCLING = 10**9
PLAIN = "the same worker without child recycling (diagnostic)"


# --- Broker plumbing -----------------------------------------------------------------------------


def _app():
    from lms.celery import app

    return app


def _use(url: str) -> None:
    """Send this process's tasks to `url`, on fresh connections."""
    from kombu import pools

    app = _app()
    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.task_always_eager = False


def _unreachable(url: str) -> str | None:
    """None when the broker answers; otherwise why not."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1, timeout=5)
    except Exception as error:  # noqa: BLE001 - any failure is the reason to report
        return f"{type(error).__name__}: {error}"
    return None


def _queue_op(url: str, op: str) -> int:
    """Declare the bench queue as Celery does and return its message count (after `op`)."""
    app = _app()
    queue = app.amqp.queues[QUEUE]  # created as Celery creates a missing queue: durable
    with app.connection_for_write(url) as connection:
        bound = queue(connection.default_channel)
        bound.declare()
        if op == "purge":
            bound.purge()
        elif op == "delete":
            bound.delete()
            return 0
        return bound.queue_declare().message_count


def _version(url: str) -> str:
    from kombu import Connection

    with suppress(Exception), Connection(url, connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=1, timeout=5)
        if url.startswith("redis"):
            client = connection.default_channel.client
            return "Redis " + client.info("server")["redis_version"]
        props = connection.connection.server_properties
        version = props.get("version")
        return f"RabbitMQ {version.decode() if isinstance(version, bytes) else version}"
    return "version unknown"


def _results():
    """The Redis list database the task reports to (REDIS_URL, db 11)."""
    import redis

    return redis.Redis.from_url(stack.ENV["REDIS_URL"])


def _key(what: str) -> str:
    return f"bench:broker:{what}:{uuid.uuid4().hex}"


@contextmanager
def _worker(url: str, name: str, *, max_tasks_per_child: int = 1000):
    with stack.celery_worker(
        max_tasks_per_child=max_tasks_per_child,
        broker_url=url,
        include=("bench.broker_tasks",),
        queues=QUEUE,
        log_name=f"celery-broker-{name}.log",
    ) as worker:
        yield worker


def _wait_count(key: str, n: int, timeout: float) -> int:
    results = _results()
    deadline = time.monotonic() + timeout
    count = results.llen(key)
    while count < n and time.monotonic() < deadline:
        time.sleep(0.02)
        count = results.llen(key)
    return count


# --- 1 and 2: throughput and round-trip latency --------------------------------------------------


def _throughput(task, n: int) -> tuple[float, float, int]:
    """Send n tasks; seconds spent sending, seconds until all ran, and how many ran."""
    key = _key("throughput")
    started = time.perf_counter()
    for _ in range(n):
        task.apply_async((key,), queue=QUEUE)
    sent = time.perf_counter() - started
    done = _wait_count(key, n, timeout=max(120.0, n * 0.1))
    total = time.perf_counter() - started
    _results().delete(key)
    return sent, total, done


def _latency(task, n: int) -> tuple[list[float], int]:
    """Send n tasks one at a time; send → run seconds for each, and how many never ran."""
    key = _key("latency")
    results = _results()
    samples, lost = [], 0
    for _ in range(n):
        started = time.perf_counter()
        task.apply_async((key,), queue=QUEUE)
        if results.blpop([key], timeout=10) is None:
            lost += 1
        else:
            samples.append(time.perf_counter() - started)
    results.delete(key)
    return samples, lost


def _measure(url: str, name: str, task, *, max_tasks_per_child: int = 1000) -> dict:
    _use(url)
    _queue_op(url, "purge")
    with _worker(url, name, max_tasks_per_child=max_tasks_per_child):
        load = stack.load_average()
        _throughput(task, 50)  # warm up: pool children, connections
        sent, total, done = _throughput(task, TASKS)
        samples, lost = _latency(task, PINGS)
    _queue_op(url, "delete")
    return {
        "load": load,
        "sent": sent,
        "total": total,
        "done": done,
        "rate": done / total if total else 0.0,
        "samples": samples,
        "lost": lost,
    }


def _speed_rows(runs: dict[str, list[dict]], labels: dict[str, str], worker: str) -> list[Row]:
    rows, rates = [], {}
    for name, rounds in runs.items():
        complete = all(r["done"] == TASKS for r in rounds)
        rates[name] = statistics.median(r["rate"] for r in rounds)
        each = " / ".join(f"{r['rate']:,.0f}" for r in rounds)
        sends = " / ".join(f"{r['sent']:.2f}" for r in rounds)
        totals = " / ".join(f"{r['total']:.2f}" for r in rounds)
        done = " / ".join(str(r["done"]) for r in rounds)
        loads = " / ".join(r["load"] for r in rounds)
        rows.append(
            Row(
                f"broker throughput, {labels[name]}: {TASKS:,} no-op tasks sent then run, "
                f"{worker} (load {loads})",
                f"{rates[name]:,.0f} tasks/s median (rounds {each}; sent in {sends} s, "
                f"all run in {totals} s; {done} run)",
                TARGET,
                complete,
            )
        )
    for name, rounds in runs.items():
        samples = [s for r in rounds for s in r["samples"]]
        lost = sum(r["lost"] for r in rounds)
        p50, p99 = percentile(samples, 50) * 1000, percentile(samples, 99) * 1000
        rows.append(
            Row(
                f"broker round trip, {labels[name]}: {PINGS} tasks one at a time × "
                f"{len(rounds)} rounds, send → run, {worker}",
                f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(samples, default=0) * 1000:.1f}"
                f" ms ({len(samples)} timed, {lost} lost)",
                TARGET,
                bool(samples) and lost == 0,
            )
        )
    if set(rates) == {"redis", "rabbitmq"}:
        ratio = rates["rabbitmq"] / rates["redis"] if rates["redis"] else 0.0
        rows.append(
            Row(
                f"broker throughput, RabbitMQ / Redis (same task, median of rounds), {worker}",
                f"{rates['rabbitmq']:,.0f} / {rates['redis']:,.0f} tasks/s = {ratio:.2f} ×",
                TARGET,
                ratio > 0,
            )
        )
    return rows


# --- 3: durability -------------------------------------------------------------------------------


def _queue_up(url: str, task, n: int) -> tuple[str, int]:
    """With no worker: empty the bench queue, queue n tasks, return their key and the count."""
    _use(url)
    _queue_op(url, "purge")
    key = _key("durable")
    for _ in range(n):
        task.apply_async((key,), queue=QUEUE)
    deadline = time.monotonic() + 30
    queued = _queue_op(url, "count")
    while queued < n and time.monotonic() < deadline:
        time.sleep(0.1)
        queued = _queue_op(url, "count")
    return key, queued


def _drain(url: str, name: str, key: str, expected: int) -> int:
    """Start a worker on `url`; how many of the queued tasks ran (bounded wait)."""
    _use(url)
    with _worker(url, name):
        ran = _wait_count(key, expected, timeout=60) if expected else 0
        time.sleep(0.5 if expected else 2.0)  # anything beyond the expected count
        ran = _results().llen(key)
    _results().delete(key)
    _queue_op(url, "delete")
    return ran


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _wait_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _port_free(port):
            return True
        time.sleep(0.2)
    return False


def _shared_redis_row() -> Row:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        save = client.config_get("save").get("save", "?")
        aof = client.config_get("appendonly").get("appendonly", "?")
        version = client.info("server")["redis_version"]
    except Exception as error:  # noqa: BLE001
        return Row("broker durability, shared Redis 6379", f"skipped: {error}", TARGET, False)
    keeps = aof == "yes" or bool(save.strip())
    verdict = (
        "a restart keeps what was last written to disk"
        if keeps
        else "nothing on disk: a restart loses every queued message"
    )
    return Row(
        f"broker durability, shared Redis {version} on 6379 (read, not restarted)",
        f"save='{save}', appendonly={aof}: {verdict}",
        TARGET,
        True,
    )


def _private_redis_row(task, *, aof: bool, directory: str) -> Row:
    mode = "appendonly yes (fsync everysec)" if aof else "save '' appendonly no"
    label = f"broker durability, private Redis on {PRIVATE_PORT} ({mode}), {QUEUED} queued"
    if not _port_free(PRIVATE_PORT):
        return Row(label, f"skipped: port {PRIVATE_PORT} is taken", TARGET, False)
    url = f"redis://127.0.0.1:{PRIVATE_PORT}/0"
    data = os.path.join(directory, "aof" if aof else "plain")
    os.makedirs(data, exist_ok=True)
    args = ["redis-server", "--port", str(PRIVATE_PORT), "--bind", "127.0.0.1"]
    args += ["--dir", data, "--save", "", "--appendonly", "yes" if aof else "no"]
    args += ["--daemonize", "no", "--logfile", ""]
    log = stack.VAR / f"redis-{PRIVATE_PORT}.log"

    def start():
        server = stack.Server("redis", args, env=dict(os.environ), log=log)
        if not _wait_port(PRIVATE_PORT, 15):
            server.stop()
            raise RuntimeError(f"redis-server on {PRIVATE_PORT} did not start; see {log}")
        return server

    server = start()
    try:
        key, queued = _queue_up(url, task, QUEUED)
        restarted = time.perf_counter()
        server.stop()  # SIGTERM: Redis shuts down gracefully (flushes the AOF if on)
        _use(REDIS_URL)  # forget connections to the stopped server
        server = start()
        restart_s = time.perf_counter() - restarted
        kept = _queue_op(url, "count")
        ran = _drain(url, f"redis-{'aof' if aof else 'plain'}", key, kept)
    except Exception as error:  # noqa: BLE001
        return Row(label, f"failed: {type(error).__name__}: {error}", TARGET, False)
    finally:
        server.stop()
    return Row(
        label,
        f"{queued} queued → graceful restart ({restart_s:.1f} s) → {kept} still queued, "
        f"{ran} ran after",
        TARGET,
        queued == QUEUED and ran == kept,
    )


def _rabbitmqctl(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["rabbitmqctl", *args], capture_output=True, text=True, timeout=timeout, check=True
    )


def _rabbitmq_row(task, version: str) -> Row:
    label = f"broker durability, {version} on 5672, {QUEUED} queued"
    if not RESTART_RABBITMQ:
        return Row(label, "skipped: BROKER_RESTART_RABBITMQ=0", TARGET, False)
    if not shutil.which("rabbitmqctl"):
        return Row(label, "skipped: no rabbitmqctl on PATH", TARGET, False)
    stopped = False
    try:
        key, queued = _queue_up(RABBITMQ_URL, task, QUEUED)
        listing = _rabbitmqctl("list_queues", "-q", "name", "durable", timeout=60).stdout
        durable = next(
            (line.split()[1] for line in listing.splitlines() if line.split()[:1] == [QUEUE]),
            "?",
        )
        mode = _delivery_mode(RABBITMQ_URL)
        _use(REDIS_URL)  # close this process's connections before the broker goes away
        restarted = time.perf_counter()
        _rabbitmqctl("stop_app", timeout=120)
        stopped = True
        _rabbitmqctl("start_app", timeout=180)
        stopped = False
        if not _wait_port(5672, 60):
            raise RuntimeError("RabbitMQ did not listen on 5672 again within 60 s")
        restart_s = time.perf_counter() - restarted
        _use(RABBITMQ_URL)
        kept = _queue_op(RABBITMQ_URL, "count")
        ran = _drain(RABBITMQ_URL, "rabbitmq-durable", key, kept)
    except Exception as error:  # noqa: BLE001
        return Row(label, f"failed: {type(error).__name__}: {error}", TARGET, False)
    finally:
        if stopped:  # never leave the machine's RabbitMQ stopped
            with suppress(Exception):
                _rabbitmqctl("start_app", timeout=180)
    return Row(
        label,
        f"{queued} queued (queue durable={durable}, delivery_mode={mode}) → rabbitmqctl "
        f"stop_app/start_app ({restart_s:.1f} s) → {kept} still queued, {ran} ran after",
        TARGET,
        queued == QUEUED and ran == kept,
    )


def _delivery_mode(url: str):
    """The delivery mode of the message at the head of the bench queue (put back after)."""
    app = _app()
    with app.connection_for_write(url) as connection:
        message = app.amqp.queues[QUEUE](connection.default_channel).get(no_ack=False)
        if message is None:
            return "?"
        mode = message.properties.get("delivery_mode", "?")
        message.requeue()
        return mode


# --- The benchmark -------------------------------------------------------------------------------


def run() -> list[Row]:
    stack.apply_env()
    stack.VAR.mkdir(parents=True, exist_ok=True)
    setup_django()
    try:
        return _run()
    finally:
        _use(REDIS_URL)  # leave this process sending to the bench broker, as it found it


def _run() -> list[Row]:
    from bench.broker_tasks import done

    brokers = {"redis": REDIS_URL, "rabbitmq": RABBITMQ_URL}
    labels, runs, rows = {}, {}, []
    for name, url in brokers.items():
        why = _unreachable(url)
        if why:
            rows.append(
                Row(f"broker {name} at {url}", f"skipped: unreachable ({why})", TARGET, False)
            )
            continue
        labels[name] = _version(url)
        runs[name] = []
    # Alternate the brokers round by round, so machine noise falls on both alike.
    plain = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name in runs:
            try:
                runs[name].append(_measure(brokers[name], name, done))
            except Exception as error:  # noqa: BLE001
                failure = f"failed: {type(error).__name__}: {error}"
                rows.append(Row(f"broker {labels[name]}", failure, TARGET, False))
    for _ in range(PLAIN_ROUNDS):
        for name in runs:
            try:
                plain[name].append(
                    _measure(brokers[name], name, done, max_tasks_per_child=NO_RECYCLING)
                )
            except Exception as error:  # noqa: BLE001
                failure = f"failed: {type(error).__name__}: {error}"
                rows.append(Row(f"broker {labels[name]}, {PLAIN}", failure, TARGET, False))
    rows += _speed_rows({name: r for name, r in runs.items() if r}, labels, WORKER)
    rows += _speed_rows({name: r for name, r in plain.items() if r}, labels, PLAIN)

    if "redis" in labels:
        rows.append(_shared_redis_row())
        if shutil.which("redis-server"):
            with tempfile.TemporaryDirectory(prefix="bench-broker-redis-") as directory:
                for aof in (False, True):
                    rows.append(_private_redis_row(done, aof=aof, directory=directory))
        else:
            rows.append(
                Row("broker durability, private Redis", "skipped: no redis-server", TARGET, False)
            )
    if "rabbitmq" in labels:
        rows.append(_rabbitmq_row(done, labels["rabbitmq"]))
    return rows


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())

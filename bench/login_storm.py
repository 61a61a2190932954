"""A login storm beside an exam: autosave p99 alone and while wrk hammers the login form.

One gunicorn (2 × cores + 1 sync workers) on PostgreSQL and Redis. A student's autosave
(PUT of one answer, token auth, wrk -c 4) is measured for LOGIN_STORM_SECONDS (default 15)
alone, then again while a second wrk (-c 32) posts wrong passwords to /accounts/login/:

- from one address, at 20 accounts with real (PBKDF2) passwords;
- from a new address every request (X-Forwarded-For, one trusted proxy), at the same
  20 accounts: each account locks after its allowance (lms.throttles);
- from a new address every request at a new username every request (spraying): nothing
  locks, so every guess costs a password hash.

The throttles' state is cleared between runs, so each storm starts fresh. What keeps the
autosave going is lms.throttles: locks refuse repeated guesses before any hash, and at most
LOGIN_THROTTLE["CONCURRENT_CHECKS"] (the cores) passwords are checked at once, so even the
spray holds only that many of the workers.
"""

import json
import os
import subprocess
import time
import urllib.request

from bench import stack
from bench.common import Row, setup_django

SECONDS = int(os.environ.get("LOGIN_STORM_SECONDS", "15"))
SAVE_CONNECTIONS = 4
STORM_CONNECTIONS = 32
ACCOUNTS = 20
# Any 32 characters of the token alphabet: the cookie and the form field must agree.
CSRF = "benchStormCsrfSecret0123456789ab"

AUTOSAVE_LUA = """
local seq = 0
request = function()
  seq = seq + 1
  local body = string.format('{"seq": %%d, "response": {"value": %%s}}', seq,
    (seq %% 2 == 0) and "true" or "false")
  return wrk.format("PUT", "%(path)s", {
    ["Authorization"] = "Token %(token)s",
    ["Content-Type"] = "application/json",
  }, body)
end
"""

STORM_LUA = """
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  refused, answered, n = 0, 0, 0
  math.randomseed(os.time() * 100 + id)
end
local names = {%(names)s}
request = function()
  n = n + 1
  local name = names[(n %% #names) + 1]
  if "%(mode)s" == "spray" then name = string.format("spray-%%d-%%d", id, n) end
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=%(csrf)s",
  }
  if "%(mode)s" ~= "one" then
    headers["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", math.random(0, 255),
      math.random(0, 255), math.random(1, 254))
  end
  local body = "login=" .. name .. "&password=wrong-guess-" .. n ..
    "&csrfmiddlewaretoken=%(csrf)s"
  return wrk.format("POST", "/accounts/login/", headers, body)
end
function response(status, headers, body)
  if status == 429 then refused = refused + 1 else answered = answered + 1 end
end
function done(summary, latency, requests)
  local r, a = 0, 0
  for _, t in ipairs(threads) do r = r + t:get("refused"); a = a + t:get("answered") end
  io.write(string.format("STORM refused=%%d answered=%%d\\n", r, a))
end
"""

STORMS = {
    "one": f"from one address at {ACCOUNTS} accounts",
    "many": f"from a new address every request at {ACCOUNTS} accounts",
    "spray": "from a new address every request at a new username every request",
}


def _wrk_script(script: str, *, seconds: int, connections: int) -> subprocess.Popen:
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    args += ["--timeout", "10s", "-s", script, stack.BASE]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _parse(out: str) -> tuple[float, float, int, int]:
    import re

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", out).groups()
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)",):
        match = re.search(pattern, out)
        bad += int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if match:
        bad += sum(int(n) for n in match.groups())
    return rps, float(value) * stack._UNITS[unit], bad, total


def _autosave(script: str, name: str) -> tuple[float, float, int, int]:
    proc = _wrk_script(script, seconds=SECONDS, connections=SAVE_CONNECTIONS)
    out, _ = proc.communicate(timeout=SECONDS + 60)
    (stack.VAR / "login_storm" / f"{name}.out").write_text(out)
    return _parse(out)


def _start_attempt(exam_id: int, token: str) -> tuple[int, int]:
    """(attempt id, position of a true/false question) from the start API's paper."""
    request = urllib.request.Request(
        f"{stack.BASE}/api/v1/exams/{exam_id}/start/",
        method="POST",
        headers={"Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        attempt = json.load(response)
    position = next(q["position"] for q in attempt["questions"] if q["kind"] == "true_false")
    return attempt["id"], position


def run() -> list[Row]:
    stack.ensure_database()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from bench import seed

    exam = seed.level1_exam()
    [student] = seed.students(1, prefix="bench-storm-student")
    token = seed.tokens([student])[student.pk]
    names = []
    for i in range(ACCOUNTS):
        user = get_user_model().objects.create_user(
            f"bench-storm-{i:02d}", f"bench-storm-{i:02d}@example.org", f"right-{i}-password"
        )
        names.append(user.username)
    lua = stack.VAR / "login_storm"
    lua.mkdir(parents=True, exist_ok=True)
    # The storm comes "from many addresses" through one trusted proxy; the autosave client
    # sends no X-Forwarded-For, so it keeps its own address (and the API's own rates apply
    # per user: lifted here, as for the other benchmarks' single-address clients).
    changed = {"BENCH_TRUSTED_PROXIES": "1", "BENCH_USER_RATE": "10000000/min"}
    before = {name: os.environ.get(name) for name in changed}
    os.environ.update(changed)
    rows = []
    try:
        with stack.gunicorn():
            attempt, position = _start_attempt(exam.pk, token)
            save = lua / "autosave.lua"
            path = f"/api/v1/attempts/{attempt}/answers/{position}/"
            save.write_text(AUTOSAVE_LUA % {"path": path, "token": token})
            _autosave_warm = _wrk_script(str(save), seconds=3, connections=SAVE_CONNECTIONS)
            _autosave_warm.communicate(timeout=60)
            load = stack.load_average()
            idle_rps, idle_p99, idle_bad, idle_n = _autosave(str(save), "autosave_alone")
            rows.append(
                Row(
                    f"autosave p99 alone, wrk -c {SAVE_CONNECTIONS} {SECONDS} s, "
                    f"{stack.web_workers()} gunicorn workers (load {load})",
                    f"{idle_p99:.1f} ms ({idle_rps:.0f} saves/s, errors {idle_bad}/{idle_n})",
                    "baseline",
                    not idle_bad,
                )
            )
            for mode, what in STORMS.items():
                cache.clear()  # every storm starts with no failure counted and no lock
                script = lua / f"storm_{mode}.lua"
                quoted = ", ".join(f'"{n}"' for n in names)
                script.write_text(STORM_LUA % {"names": quoted, "mode": mode, "csrf": CSRF})
                storm = _wrk_script(str(script), seconds=SECONDS + 6, connections=STORM_CONNECTIONS)
                time.sleep(3)  # the storm is under way
                load = stack.load_average()
                rps, p99, bad, n = _autosave(str(save), f"autosave_{mode}")
                storm_out, _ = storm.communicate(timeout=SECONDS + 60)
                (lua / f"storm_{mode}.out").write_text(storm_out)
                storm_rps, storm_p99, _storm_bad, storm_n = _parse(storm_out)
                refused = int(storm_out.split("STORM refused=")[1].split()[0])
                ratio = p99 / idle_p99
                rows.append(
                    Row(
                        f"autosave p99 during a login storm {what} (wrk -c {STORM_CONNECTIONS} "
                        f"wrong passwords; load {load})",
                        f"{p99:.1f} ms vs alone {idle_p99:.1f} ms = {ratio:.2f} × "
                        f"({rps:.0f} saves/s, errors {bad}/{n}); storm {storm_rps:.0f} req/s, "
                        f"{refused}/{storm_n} refused 429, its p99 {storm_p99:.0f} ms",
                        "≤ 2 × alone",
                        ratio <= 2 and not bad,
                    )
                )
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return rows


if __name__ == "__main__":
    from bench.common import print_rows

    stack.apply_env()
    print_rows(run())

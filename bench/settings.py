"""Settings for benchmark servers and processes: the site's settings, tuned for measuring.

Everything stays read from the environment (bench/stack.py sets it): the
dedicated cbec_bench PostgreSQL database, Redis, and throttles raised so that a
load generator on one address is measured rather than refused.
"""

import os

from lms.settings import *  # noqa: F403
from lms.settings import LOGGING, REST_FRAMEWORK

DEBUG = False
# Bench-only views (a plain JSON view and a render-per-request view) beside the site's.
ROOT_URLCONF = "bench.urls"

# wrk and locust send every request from 127.0.0.1: lift the per-IP limits for the bench.
_VERIFY_RATE = os.environ.get("BENCH_VERIFY_RATE", "10000000/min")
CERTIFICATES_VERIFY_RATES = {
    "verify_anon": _VERIFY_RATE,
    "verify_user": _VERIFY_RATE,
    "verify_key": _VERIFY_RATE,
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("BENCH_ANON_RATE", "10000000/min"),
        "user": os.environ.get("BENCH_USER_RATE", "2400/minute"),
    },
}

# bench/login_storm.py's storm comes from many addresses through one trusted proxy
# (X-Forwarded-For); 0, the default, trusts none, as the other benchmarks need.
_TRUSTED_PROXIES = int(os.environ.get("BENCH_TRUSTED_PROXIES", "0"))
REST_FRAMEWORK["NUM_PROXIES"] = _TRUSTED_PROXIES
ALLAUTH_TRUSTED_PROXY_COUNT = _TRUSTED_PROXIES

# Plain HTTP on 127.0.0.1: no TLS redirect (TLS would end at a load balancer).
SECURE_SSL_REDIRECT = False
# Its certificates point at 127.0.0.1 (CERTIFICATES_BASE_URL), which production refuses.
SILENCED_SYSTEM_CHECKS = ["lms.E004"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

LOGGING = {
    **LOGGING,
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "ERROR")},
}

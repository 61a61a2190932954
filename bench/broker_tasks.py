"""The task of the broker benchmark (bench/broker.py): as near to no work as can be counted.

Each run pushes one item onto a Redis list in the cache database (REDIS_URL, db 11),
whatever the broker: the benchmark counts the list (throughput) or waits on it with
BLPOP (round-trip latency). Both brokers pay the same one Redis write per task.
"""

import os
from functools import cache

import redis
from celery import shared_task


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(os.environ["REDIS_URL"])


@shared_task(acks_late=True, ignore_result=True)
def done(key: str) -> None:
    """Record one completion under `key`."""
    _redis().rpush(key, 1)

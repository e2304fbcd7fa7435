"""PostgreSQL connections come from a pool: under ASGI every request runs its sync code in a
thread of its own, and a connection kept per thread (CONN_MAX_AGE) was never used twice."""

from unittest import mock

import pytest
from django.db import connection

from tests.asgi_http import asgi_get
from townsquare.envvars import ConfigError, database_from_url

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")


def test_a_postgres_url_gets_a_pool_and_keeps_its_query_options():
    database = database_from_url("postgres://u:pw@db.example:6432/ts?sslmode=require", 30_000, 12, 4.5)
    assert database["OPTIONS"] == {
        "sslmode": "require",
        "pool": {"min_size": 1, "max_size": 12, "timeout": 4.5},
    }
    # Django hands pooled connections back at the end of each request; it refuses CONN_MAX_AGE.
    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_pool_size_zero_turns_the_pool_off():
    database = database_from_url("postgres://u@db.example/ts", 30_000, 0)
    assert "pool" not in database["OPTIONS"]
    assert database["CONN_MAX_AGE"] == 60


def test_a_negative_pool_size_stops_start_up():
    with pytest.raises(ConfigError, match="pool size"):
        database_from_url("postgres://u@db.example/ts", 30_000, -1)


def test_sqlite_urls_have_no_pool(tmp_path):
    database = database_from_url(f"sqlite:///{tmp_path}/ts.sqlite3", 30_000, 20)
    assert "pool" not in database["OPTIONS"]


@on_postgres
def test_requests_over_asgi_reuse_the_pooled_connections(transactional_db):
    import psycopg

    from townsquare.asgi import application

    assert asgi_get(application, "/healthz").status == 200
    if connection.pool is not None:
        connection.pool.wait(timeout=30)  # its first connections are opened in the background
    # Django connects through psycopg.connect, the pool through Connection.connect.
    with (
        mock.patch.object(psycopg.Connection, "connect", wraps=psycopg.Connection.connect) as pooled,
        mock.patch.object(psycopg, "connect", wraps=psycopg.connect) as direct,
    ):
        statuses = [asgi_get(application, "/healthz").status for _ in range(5)]
    assert statuses == [200] * 5
    # Without the pool each request opened (and dropped) a connection of its own.
    assert pooled.call_count + direct.call_count == 0

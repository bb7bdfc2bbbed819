"""Django's PostgreSQL backend with a client-side deadline on every wait for the database.

The server-side `statement_timeout` ends a slow query, but it cannot help when the database (or
the network, or a proxy in between) stops answering altogether: libpq then waits for ever, and
so does the request, until gunicorn kills the worker. psycopg funnels every wait on an open
connection (query, commit, rollback, the health check's `SELECT 1`) through
`Connection.wait()`; this backend gives that wait a deadline (`OPTIONS["query_timeout"]`,
seconds). When it passes the connection is closed (its protocol state is unknown) and a
`psycopg.OperationalError` is raised, which Django turns into its own `OperationalError` and
`config.views.server_error` into a 503. Opening a connection is bounded by libpq's
`connect_timeout`, which psycopg applies to the whole handshake.
"""

import psycopg
from django.db.backends.postgresql import base


class DeadlineConnection(psycopg.Connection):
    query_timeout: float | None = None

    def wait(self, gen, interval=0.1, timeout=None):
        deadline = self.query_timeout
        if deadline is None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, min(timeout or deadline, deadline))
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {deadline:g} s"
            ) from None


class _Driver:
    """psycopg as Django sees it, except that connections are DeadlineConnections."""

    connect = staticmethod(DeadlineConnection.connect)

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Driver()

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("query_timeout", None)
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.query_timeout = self.settings_dict["OPTIONS"].get("query_timeout")
        return connection

import psycopg

from knowledge_base.storage import connect, ensure_schema


def test_ensure_schema_is_idempotent_and_tables_are_usable(database_url: str) -> None:
    ddl = "CREATE TABLE IF NOT EXISTS probe (id serial PRIMARY KEY, note text NOT NULL)"
    with connect() as conn:
        ensure_schema(conn, "probe", ddl)
        ensure_schema(conn, "probe", ddl)
        conn.execute("INSERT INTO probe (note) VALUES (%s)", ("ok",))
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT note FROM probe").fetchall() == [("ok",)]

"""The two database roles of a production installation (README, "Deployment on PostgreSQL"),
for deploy/production.sh: an owner that runs the migrations, and the application's role,
which reads and writes the tables but can neither change nor remove the audit log.

    python deploy/roles.py bootstrap   # ADMIN_URL (a superuser): its password, the owner role, the database
    python deploy/roles.py app-role    # OWNER_URL (CREATEROLE): the application's role, or its new password
    python deploy/roles.py grant       # OWNER_URL, after every migrate: the application's privileges

URLs and passwords come from the environment (ADMIN_URL, ADMIN_PASSWORD_FILE, OWNER_URL,
OWNER_NAME, OWNER_PASSWORD_FILE, DATABASE_NAME, APP_NAME, APP_PASSWORD_FILE), never from the command line, where any
local user could read them in the process list. Standard library and psycopg only: this
runs before Django can connect as the application.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql

# Append-only for the application: the audit entries, the chain head, the signed
# checkpoints and tree heads. Triggers refuse UPDATE and DELETE on most of them anyway, but
# not TRUNCATE (the test runner empties tables with it); without the privilege the
# application cannot even ask.
APPEND_ONLY = ("audit_auditentry", "audit_chainhead", "audit_checkpoint", "audit_treehead")
# The sealer links entries into the chain with an UPDATE the application may not make
# itself; it runs with the owner's rights (SECURITY DEFINER), does nothing but link, and is
# the only function the application is given for it.
SEALER = "lantern_audit_seal(bigint, integer, boolean)"


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        sys.exit(f"roles.py: {name} is not set")
    return value


def _password(name: str) -> str:
    return Path(_env(name)).read_text().strip()


def _role_exists(cur: psycopg.Cursor, role: str) -> bool:
    return cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is not None


def _set_login(cur: psycopg.Cursor, role: str, password: str, attributes: str) -> None:
    """Create the role, or give an existing one the password in the file (attributes are
    set only at creation: changing them needs a superuser)."""
    if _role_exists(cur, role):
        cur.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))
    else:
        cur.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} " + attributes).format(
            sql.Identifier(role), sql.Literal(password)))


def bootstrap() -> None:
    """A cluster of the script's own: the owner role (it may create the application's role)
    and the database it owns."""
    owner, database = _env("OWNER_NAME"), _env("DATABASE_NAME")
    with psycopg.connect(_env("ADMIN_URL"), autocommit=True) as conn, conn.cursor() as cur:
        # The superuser gets a password before the cluster stops trusting connections.
        admin_password = sql.Literal(_password("ADMIN_PASSWORD_FILE"))
        cur.execute(sql.SQL("ALTER ROLE CURRENT_USER PASSWORD {}").format(admin_password))
        _set_login(cur, owner, _password("OWNER_PASSWORD_FILE"), "NOSUPERUSER CREATEROLE NOCREATEDB")
        if cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(owner)))


def app_role() -> None:
    role = _env("APP_NAME")
    with psycopg.connect(_env("OWNER_URL"), autocommit=True) as conn, conn.cursor() as cur:
        _set_login(cur, role, _password("APP_PASSWORD_FILE"), "NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
        # A role found already made must not hold more than the grants give it.
        powerful = cur.execute("SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls "
                               "OR pg_has_role(%s, current_user, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                               [role, role]).fetchone()[0]
        if powerful or role == cur.execute("SELECT current_user").fetchone()[0]:
            sys.exit(f"roles.py: {role} is the owner, a member of it, or has role attributes beyond LOGIN")


def _statements(schema: str, database: str, role: str, present: list[str]) -> list[sql.Composed]:
    ident = {"s": sql.Identifier(schema), "d": sql.Identifier(database), "r": sql.Identifier(role)}
    lines = [
        "GRANT CONNECT ON DATABASE {d} TO {r}",
        "GRANT USAGE ON SCHEMA {s} TO {r}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # Tables a later migration creates are usable at once, even before the next start
        # takes the append-only ones back.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        f"ALTER FUNCTION {{s}}.{SEALER} SECURITY DEFINER SET search_path = {{s}}, pg_temp",
        f"REVOKE EXECUTE ON FUNCTION {{s}}.{SEALER} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {{s}}.{SEALER} TO {{r}}",
    ]
    out = [sql.SQL(line).format(**ident) for line in lines]
    out += [sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {s}.{t} FROM {r}").format(
        t=sql.Identifier(table), **ident) for table in present]
    return out


def grant() -> None:
    """Run after every migrate: the application's privileges on what the migrations made."""
    role = _env("APP_NAME")
    with psycopg.connect(_env("OWNER_URL")) as conn, conn.cursor() as cur:
        found = cur.execute("SELECT n.nspname, current_database() FROM pg_class c "
                            "JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE c.oid = to_regclass('audit_auditentry')").fetchone()
        if found is None:
            sys.exit("roles.py: audit_auditentry not found: run the migrations first")
        schema, database = found
        present = [t for t in APPEND_ONLY
                   if cur.execute("SELECT to_regclass(%s)", [f"{schema}.{t}"]).fetchone()[0] is not None]
        for statement in _statements(schema, database, role, present):
            cur.execute(statement)
        # The owner's own privileges are untouched; say what the application is left with.
        print(f"{role}: SELECT, INSERT only on {', '.join(present)}; sealer runs as the owner")


if __name__ == "__main__":
    commands = {"bootstrap": bootstrap, "app-role": app_role, "grant": grant}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(commands)}")
    commands[sys.argv[1]]()

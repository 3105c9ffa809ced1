"""The store server's schema, as numbered migrations applied on connect (store/postgres.py).

Each mode's schema (`pos_sandbox`, `pos_live`) records the migrations it has had in
`schema_migrations`. `migrate()` runs in one transaction under an advisory lock on the schema,
so several counters starting at the same instant apply each migration exactly once (the others
wait, then find nothing to do); PostgreSQL's DDL is transactional, so a migration cut short by a
power cut leaves nothing half-done. A server whose schema is newer than this program refuses to
be used by it (an older counter must not write rows it does not understand).

Two lists: `MIGRATIONS` for each mode's schema (journal, customer indexes, counters) and
`SHOP_MIGRATIONS` for the shop's schema `pos_shop` (staff, audit trail), which is one whatever
the mode. To add a table (member plans, billing runs, another column), append a `Migration`
with the next number to the right list; never edit one that has shipped. Tables that other
counters' windows should hear about get the `notify_change` trigger (see version 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from psycopg import sql

from pos_app.store.errors import StorageError
from pos_app.store.journal import KINDS

if TYPE_CHECKING:
    import psycopg

# LISTEN/NOTIFY channel of every change a counter's window shows (store/pg_feed.py).
CHANGES_CHANNEL = "pos_app_changes"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


_KINDS_SQL = ", ".join(f"'{k}'" for k in KINDS)

# One notification per changed row (the trigger function of each schema).
_NOTIFY_FUNCTION = f"""
-- One notification per changed row, delivered when its transaction commits: the table, the
-- operation, the row's id and its customer, so a window can fetch just that.
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := to_jsonb(OLD);
    ELSE
        changed := to_jsonb(NEW);
    END IF;
    PERFORM pg_notify(
        '{CHANGES_CHANNEL}',
        json_build_object(
            'schema', TG_TABLE_SCHEMA,
            'table', TG_TABLE_NAME,
            'op', TG_OP,
            'id', changed ->> 'id',
            'customer_uid', changed ->> 'customer_uid'
        )::text
    );
    RETURN NULL;
END
$$;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "journal, customer index, counters, change notifications",
        f"""
CREATE TABLE charges (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_uid text NOT NULL,
    kind text NOT NULL CHECK (kind IN ({_KINDS_SQL})),
    origin text NOT NULL,
    customer_uid text,
    amount bigint NOT NULL,
    tax_free bigint NOT NULL DEFAULT 0,
    order_name text NOT NULL DEFAULT '',
    terminal text NOT NULL DEFAULT '',
    state text NOT NULL,
    imp_uid text,
    apply_num text,
    card_number text NOT NULL DEFAULT '',
    card_name text NOT NULL DEFAULT '',
    reason text NOT NULL DEFAULT '',
    checksum bigint,
    override_reason text,
    created_at double precision NOT NULL,
    sent_at double precision,
    answered_at double precision,
    resolved_at double precision,
    updated_at double precision NOT NULL,
    sender text,
    settle_after double precision,
    recheck_until double precision,
    card_quota integer NOT NULL DEFAULT 0,
    cancel_ref text,
    note text,
    -- "<data folder id>:<row id>" of a row copied by `pos-app db import-sqlite` (run twice,
    -- it finds the row already there).
    imported_from text UNIQUE
);
CREATE UNIQUE INDEX charges_merchant_uid ON charges (merchant_uid) WHERE kind != 'refund';
CREATE INDEX charges_customer ON charges (customer_uid, created_at);
CREATE INDEX charges_open ON charges (state) WHERE state IN ('pending', 'sent', 'unknown');
CREATE INDEX charges_created ON charges (created_at);
CREATE INDEX charges_recheck ON charges (recheck_until) WHERE recheck_until IS NOT NULL;
CREATE INDEX charges_refunds ON charges (imp_uid) WHERE kind = 'refund';

CREATE TABLE customers (
    customer_uid text PRIMARY KEY,
    name text NOT NULL DEFAULT '',
    tel text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    card_number text NOT NULL DEFAULT '',
    card_name text NOT NULL DEFAULT '',
    card_type integer,
    registered bigint NOT NULL DEFAULT 0,
    updated bigint NOT NULL DEFAULT 0,
    last_charge_at double precision
);

-- Every counter (a window or a command) that opened this store: its lease is an advisory lock
-- on (LEASE_LOCK_CLASS, id) held by its session (store/pg_lease.py).
CREATE TABLE counters (
    id serial PRIMARY KEY,
    owner text NOT NULL UNIQUE,
    terminal text NOT NULL DEFAULT '',
    host text NOT NULL DEFAULT '',
    pid integer,
    started_at double precision NOT NULL,
    last_seen double precision NOT NULL
);
CREATE INDEX counters_last_seen ON counters (last_seen);

{_NOTIFY_FUNCTION}CREATE TRIGGER charges_notify AFTER INSERT OR UPDATE OR DELETE ON charges
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER customers_notify AFTER INSERT OR UPDATE OR DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION notify_change();
""",
    ),
    Migration(
        2,
        "PortOne V2: each member's billing key, and V2's own customer index",
        """
-- V2's key for the member's current card ("" under V1, where the customer_uid names the card).
ALTER TABLE customers ADD COLUMN billing_key text NOT NULL DEFAULT '';
-- A V2 till's saved cards, apart from V1's (a single counter keeps them in customers-v2.sqlite3):
-- a card saved under V1 has no V2 billing key, and asking V2 about it must not drop it from V1's
-- list. The journal stays one: both APIs move the shop's money.
CREATE TABLE customers_v2 (LIKE customers INCLUDING ALL);
CREATE TRIGGER customers_v2_notify AFTER INSERT OR UPDATE OR DELETE ON customers_v2
    FOR EACH ROW EXECUTE FUNCTION notify_change();
""",
    ),
    Migration(
        3,
        "member plans, billing runs and their rows, charges registered at PortOne as schedules",
        """
-- Each member's monthly plan (store/customers.py, MemberPlan): no card data.
ALTER TABLE customers
    ADD COLUMN plan_amount bigint,
    ADD COLUMN plan_name text NOT NULL DEFAULT '',
    ADD COLUMN plan_day integer NOT NULL DEFAULT 0,
    ADD COLUMN plan_active integer NOT NULL DEFAULT 0,
    ADD COLUMN plan_start text,
    ADD COLUMN plan_end text,
    ADD COLUMN plan_since text,
    ADD COLUMN plan_mode text NOT NULL DEFAULT 'counter';
ALTER TABLE customers_v2
    ADD COLUMN plan_amount bigint,
    ADD COLUMN plan_name text NOT NULL DEFAULT '',
    ADD COLUMN plan_day integer NOT NULL DEFAULT 0,
    ADD COLUMN plan_active integer NOT NULL DEFAULT 0,
    ADD COLUMN plan_start text,
    ADD COLUMN plan_end text,
    ADD COLUMN plan_since text,
    ADD COLUMN plan_mode text NOT NULL DEFAULT 'counter';
CREATE INDEX customers_plans ON customers (plan_day) WHERE plan_amount IS NOT NULL;
CREATE INDEX customers_v2_plans ON customers_v2 (plan_day) WHERE plan_amount IS NOT NULL;

-- A billing run's record (store/runs.py): what it set out to charge, how far it got, which
-- counter drives it (its lease's owner; a run whose owner is gone was interrupted).
CREATE TABLE billing_runs (
    id text PRIMARY KEY,
    origin text NOT NULL,
    source text NOT NULL,
    label text NOT NULL DEFAULT '',
    state text NOT NULL,
    owner text,
    repeat_reason text NOT NULL DEFAULT '',
    retry_reason text NOT NULL DEFAULT '',
    pause_reason text NOT NULL DEFAULT '',
    concurrency integer NOT NULL DEFAULT 1,
    total integer NOT NULL DEFAULT 0,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL,
    finished_at double precision
);
CREATE INDEX billing_runs_open ON billing_runs (origin, state)
    WHERE state IN ('running', 'paused');
CREATE TABLE billing_run_rows (
    run_id text NOT NULL REFERENCES billing_runs (id),
    position integer NOT NULL,
    line integer NOT NULL DEFAULT 0,
    customer_uid text NOT NULL,
    amount bigint NOT NULL,
    name text NOT NULL,
    period text NOT NULL,
    merchant_uid text NOT NULL,
    retry_of text NOT NULL DEFAULT '',
    outcome text NOT NULL DEFAULT '',
    message text NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, position)
);
CREATE INDEX billing_run_rows_member ON billing_run_rows (customer_uid, period);

-- Charges registered at PortOne as schedules (store/schedules.py), with what became of them.
CREATE TABLE portone_schedules (
    merchant_uid text PRIMARY KEY,
    origin text NOT NULL,
    customer_uid text NOT NULL,
    period text NOT NULL,
    amount bigint NOT NULL,
    name text NOT NULL,
    schedule_at bigint NOT NULL,
    state text NOT NULL,
    payment_status text,
    imp_uid text,
    fail_reason text NOT NULL DEFAULT '',
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL,
    checked_at double precision
);
CREATE INDEX portone_schedules_member ON portone_schedules (customer_uid);
""",
    ),
)

LATEST = MIGRATIONS[-1].version

# The shop's own schema (`pos_shop`): what is one for the shop whatever the mode, as a single
# counter keeps it in one file beside its mode folders: the staff (the same people work in
# training and live, and switching the mode must not switch off sign-in) and the audit trail.
SHOP_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "staff, failed PINs, staff settings, the hash-chained audit trail",
        f"""
CREATE TABLE staff (
    name text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash text NOT NULL,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL
);
-- Wrong PINs in a row per name, for every counter at once: a lockout earned at one counter
-- holds at all of them (store/staff.py counts under a lock on the name).
CREATE TABLE pin_failures (
    name text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    locked_until double precision NOT NULL DEFAULT 0
);
CREATE TABLE staff_settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

-- The audit trail: one hash chain for the shop (store/audit.py); every counter appends under
-- one lock, so no two entries chain to the same one.
CREATE TABLE audit (
    seq bigint PRIMARY KEY,
    at double precision NOT NULL,
    terminal text NOT NULL,
    person text NOT NULL,
    action text NOT NULL,
    details text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_action ON audit (action);
CREATE TABLE audit_head (
    id integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL,
    hash text NOT NULL
);
-- As on the SQLite file: nothing in the program (or a casual psql session) changes an entry by
-- accident. The chain and an anchor noted elsewhere, not these, show a deliberate rewrite.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.seq > OLD.seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit head only moves forward and cannot be removed';
END
$$;
CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward();

-- Other windows follow the staff list (who can sign in, whether sign-in is on, the idle lock).
-- The trail itself raises nothing: it grows with every action and no window shows it live.
{_NOTIFY_FUNCTION}
CREATE TRIGGER staff_notify AFTER INSERT OR UPDATE OR DELETE ON staff
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER staff_settings_notify AFTER INSERT OR UPDATE OR DELETE ON staff_settings
    FOR EACH ROW EXECUTE FUNCTION notify_change();
""",
    ),
)

SHOP_SCHEMA = "pos_shop"


def migrations_for(schema: str) -> tuple[Migration, ...]:
    """The migrations of a mode's schema, or of the shop's."""
    return SHOP_MIGRATIONS if schema == SHOP_SCHEMA else MIGRATIONS


def latest_for(schema: str) -> int:
    return migrations_for(schema)[-1].version


def migrate(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> int:
    """Apply the migrations `schema` lacks, once, under a lock; the version it is at now."""
    from pos_app.store.postgres import MIGRATION_LOCK_CLASS

    name = sql.Identifier(schema)
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (MIGRATION_LOCK_CLASS, schema)
        )
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(name))
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {}.schema_migrations (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            ).format(name)
        )
        found = conn.execute(sql.SQL("SELECT version FROM {}.schema_migrations").format(name))
        done = {v for (v,) in found.fetchall() if isinstance(v, int)}
        migrations, latest = migrations_for(schema), latest_for(schema)
        if done and max(done) > latest:
            raise StorageError(
                "io",
                detail=f"schema {schema} is at version {max(done)}, this program knows {latest}: "
                "update this counter's program",
                server=schema,
            )
        conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(name))
        for migration in migrations:
            if migration.version in done:
                continue
            conn.execute(migration.sql.encode())
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
        return max(done | {m.version for m in migrations})

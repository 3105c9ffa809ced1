"""`pos-app db status|import-sqlite`: the shop's store server (docs/counters.md).

- `status`: where this counter keeps its records; for a store server, the schema's migration
  version and the counters seen on it (alive: holding their lease now). Connecting applies any
  migration the schema lacks, as every counter does when it starts.
- `import-sqlite`: copy this counter's SQLite journal and customer indexes (V1's and V2's), or
  those of the data folder `--home`, into the store server, in one transaction, then its staff
  (names, roles, PIN hashes) into the shop's staff, and note the copy in the shop's audit trail
  with where this counter's own trail ended. Nothing is duplicated: a row copied before, a
  charge the server already holds, or a name the shop's staff has is counted as already there,
  so running it twice is safe. The SQLite files are left as they were.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.store.pg_copy import CopyCounts, StaffCounts
    from pos_app.store.postgres import SharedStore

HELP = "the shop's store server: status (version, counters seen), import-sqlite"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["status", "import-sqlite"])
    parser.add_argument(
        "--mode",
        choices=["auto", "sandbox", "live"],
        default="auto",
        help="which records (default: the ones the app would use now)",
    )
    parser.add_argument(
        "--home",
        type=Path,
        metavar="FOLDER",
        help="import-sqlite: the data folder to copy from (default: this one, POS_APP_HOME)",
    )


def run(args: argparse.Namespace) -> int:
    from pos_app.commands import emit
    from pos_app.commands.messages import language, text
    from pos_app.logs import setup_logging
    from pos_app.services import places

    lang = language(getattr(args, "lang", None))
    setup_logging()
    mode: places.Mode = places.current_mode() if args.mode == "auto" else args.mode
    store = places.open_store(mode, terminal=places.terminal_id(), with_lease=False)
    try:
        if store.server is None:
            if args.action == "import-sqlite":
                emit({"outcome": "error", "message": text("db.no_server", lang)})
                return 1
            emit(
                {
                    "outcome": "ok",
                    "backend": "sqlite",
                    "mode": mode,
                    "journal": str(store.journal.path),
                    "message": text("db.sqlite", lang),
                }
            )
            return 0
        if args.action == "status":
            return _status(store.server, mode)
        return _import(store.server, mode, args.home, lang)
    finally:
        store.close()


def _status(server: object, mode: str) -> int:
    from pos_app.commands import emit
    from pos_app.store.pg_copy import server_status, shop_status
    from pos_app.store.postgres import SharedStore, open_shared

    assert isinstance(server, SharedStore)
    status = server_status(server)
    # The shop's own schema (staff, audit trail), brought up to date too.
    shop_server = open_shared(server.address, "shop", lock_wait_s=30.0, pool_max=1)
    try:
        shop = shop_status(shop_server)
    finally:
        shop_server.close()
    emit(
        {
            "outcome": "ok",
            "backend": "postgresql",
            "mode": mode,
            "server": status.where,
            "schema": status.schema,
            "version": status.version,
            "latest": status.latest,
            "charges": status.charges,
            "open_charges": status.open_charges,
            "customers": status.customers,
            "customers_v2": status.customers_v2,
            "shop": {
                "schema": shop.schema,
                "version": shop.version,
                "latest": shop.latest,
                "staff": shop.staff,
                "managers": shop.managers,
                "audit_entries": shop.audit_entries,
            },
            "counters": [
                {
                    "terminal": c.terminal,
                    "host": c.host,
                    "pid": c.pid,
                    "started_at": round(c.started_at),
                    "last_seen": round(c.last_seen),
                    "alive": c.alive,
                }
                for c in status.counters
            ],
        }
    )
    return 0


def _import(server: object, mode: str, home: Path | None, lang: str) -> int:
    from pos_app.commands import emit
    from pos_app.commands.messages import text
    from pos_app.datadir import data_dir
    from pos_app.services import places
    from pos_app.store.customers import TABLES, CustomerIndex
    from pos_app.store.journal import Journal
    from pos_app.store.pg_copy import CopyCounts, copy_customers, copy_journal
    from pos_app.store.postgres import SharedStore

    assert isinstance(server, SharedStore)
    folder = home if home is not None else data_dir()
    journal_path = folder / mode / "journal.sqlite3"
    # V1's and V2's customer indexes (services/places.customers_path) go to their own tables.
    indexes = {
        TABLES["v1"]: folder / mode / "customers.sqlite3",
        TABLES["v2"]: folder / mode / "customers-v2.sqlite3",
    }
    staff_file = folder / "staff.sqlite3"
    if not journal_path.exists() and not any(p.exists() for p in indexes.values()):
        emit(
            {
                "outcome": "error",
                "message": text("db.nothing_to_import", lang, folder=str(folder / mode)),
            }
        )
        return 1
    source = places.folder_id(home)
    embedded = f"sandbox:local:{source}"

    def origin_of(origin: str) -> str:
        # That folder's embedded sandbox (V1, or V2's under /v2) is known on the server by the
        # folder's id.
        if origin == "sandbox":
            return embedded
        return f"{embedded}:v2" if origin == "sandbox:v2" else origin

    counts = CopyCounts()
    customers: dict[str, int] = {}
    with server.sql.transaction():
        if journal_path.exists():
            with Journal(journal_path) as journal:
                copy_journal(server.sql, journal.all_rows(), source, origin_of, counts)
        for table, path in indexes.items():
            if path.exists():
                before = counts.customers_copied
                with CustomerIndex(path) as index:
                    copy_customers(server.sql, index.all_rows(), counts, table)
                customers[table] = counts.customers_copied - before
    staff = _import_shop(server, staff_file, folder, source, mode, counts)
    emit(
        {
            "outcome": "imported",
            "mode": mode,
            "server": server.where,
            "from": str(folder / mode),
            "charges_copied": counts.charges_copied,
            "charges_already_there": counts.charges_there,
            "customers_copied": counts.customers_copied,
            "customers_already_there": counts.customers_there,
            "customers_v2_copied": customers.get(TABLES["v2"], 0),
            "staff_copied": staff.copied,
            "staff_already_there": staff.there,
            "disagreeing": counts.disagreeing,
            "message": text(
                "db.imported",
                lang,
                charges=counts.charges_copied,
                there=counts.charges_there,
                customers=counts.customers_copied,
                staff=staff.copied,
            ),
        }
    )
    return 0


def _import_shop(
    server: SharedStore, staff_file: Path, folder: Path, source: str, mode: str, counts: CopyCounts
) -> StaffCounts:
    """The data folder's staff into the shop's (one list for every counter), and one entry in
    the shop's audit trail saying what was copied and where this counter's own trail ended (its
    head: a chain cannot be spliced into another, so the old file stays, checkable on its own)."""
    from pos_app.services import audit, places
    from pos_app.store.audit import AuditLog
    from pos_app.store.pg_copy import StaffCounts, copy_staff
    from pos_app.store.postgres import open_shared
    from pos_app.store.staff import StaffStore

    shop = open_shared(server.address, "shop", lock_wait_s=30.0, pool_max=1)
    try:
        staff = StaffCounts()
        if staff_file.exists():
            with StaffStore(staff_file) as local:
                members = [
                    (m.name, m.role, local.pin_hash(m.name) or "", m.created_at, m.updated_at)
                    for m in local.members()
                ]
                settings = local.settings()
            staff = copy_staff(shop.sql, members, settings)
        local_head = ""
        audit_file = folder / "audit.sqlite3"
        if audit_file.exists():
            with AuditLog(audit_file) as local_trail:
                head = local_trail.head()
            local_head = f"{head[0]}:{head[1][:16]}" if head else ""
        trail = AuditLog(shop.sql)
        trail.append(
            time.time(),
            places.terminal_id(),
            audit.cli_person(),
            audit.DB_IMPORT,
            {
                "folder_id": source,
                "mode": mode,
                "charges": counts.charges_copied,
                "customers": counts.customers_copied,
                "staff": staff.copied,
                "audit_head": local_head,
            },
        )
        return staff
    finally:
        shop.close()

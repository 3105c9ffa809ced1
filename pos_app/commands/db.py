"""`pos-app db status|import-sqlite`: the shop's store server (docs/counters.md).

- `status`: where this counter keeps its records; for a store server, the schema's migration
  version and the counters seen on it (alive: holding their lease now). Connecting applies any
  migration the schema lacks, as every counter does when it starts.
- `import-sqlite`: copy this counter's SQLite journal and customer index (or those of the data
  folder `--home`) into the store server, in one transaction. Nothing is duplicated: a row
  copied before, or a charge the server already holds, is counted as already there, so running
  it twice is safe. The SQLite files are left as they were.
"""

from __future__ import annotations

import argparse
from pathlib import Path

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
    from pos_app.store.pg_copy import server_status
    from pos_app.store.postgres import SharedStore

    assert isinstance(server, SharedStore)
    status = server_status(server)
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
    from pos_app.store.customers import CustomerIndex
    from pos_app.store.journal import Journal
    from pos_app.store.pg_copy import CopyCounts, copy_customers, copy_journal
    from pos_app.store.postgres import SharedStore

    assert isinstance(server, SharedStore)
    folder = home if home is not None else data_dir()
    journal_path = folder / mode / "journal.sqlite3"
    customers_path = folder / mode / "customers.sqlite3"
    if not journal_path.exists() and not customers_path.exists():
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
        # That folder's embedded sandbox is known on the server by the folder's id.
        return embedded if origin == "sandbox" else origin

    counts = CopyCounts()
    with server.sql.transaction():
        if journal_path.exists():
            with Journal(journal_path) as journal:
                copy_journal(server.sql, journal.all_rows(), source, origin_of, counts)
        if customers_path.exists():
            with CustomerIndex(customers_path) as index:
                copy_customers(server.sql, index.all_rows(), counts)
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
            "disagreeing": counts.disagreeing,
            "message": text(
                "db.imported",
                lang,
                charges=counts.charges_copied,
                there=counts.charges_there,
                customers=counts.customers_copied,
            ),
        }
    )
    return 0

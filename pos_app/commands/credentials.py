"""`pos-app credentials set|status|clear`: the PortOne API key pair in the keychain.

For whoever installs the counter PCs. `set` reads imp_key and imp_secret from standard input
(two lines) when it is not a terminal, and asks for them without echo when it is; never from
the command line, where other users could read them in the process list or shell history.

Exit status: 0 done (`status`: the pair is saved; `check`: PortOne accepted it), 1 bad input,
not saved, or refused by PortOne, 2 no usable keychain, 3 PortOne unreachable.
"""

from __future__ import annotations

import argparse
import sys

HELP = "store, inspect or remove the PortOne API key and secret (kept only in the keychain)"

EXIT_OK = 0
EXIT_NOT_SET = 1
EXIT_NO_KEYCHAIN = 2
EXIT_UNREACHABLE = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "set",
        help="store or replace the pair: two lines on standard input, or prompts without echo",
        description=(
            "Store or replace imp_key and imp_secret in the keychain. From a terminal it asks "
            "for both without echo; otherwise it reads two lines from standard input, e.g. "
            '`printf \'%%s\\n%%s\\n\' "$KEY" "$SECRET" | pos-app credentials set`.'
        ),
    )
    actions.add_parser("status", help="show the keychain backend and whether the pair is saved")
    actions.add_parser("clear", help="remove the pair from the keychain")
    check = actions.add_parser(
        "check", help="ask PortOne for a token with the saved pair (prints PortOne's answer)"
    )
    check.add_argument(
        "--api-host",
        default=None,
        help="API address (default: https://api.iamport.kr; https://static-api.iamport.kr "
        "for fixed-IP firewalls; http:// only on loopback)",
    )


def _read_pair() -> tuple[str, str] | None:
    if sys.stdin is None:  # the windowed pos-app.exe has no standard input: pos-app-cli.exe has
        return None
    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass("imp_key (REST API key): ")
        secret = getpass.getpass("imp_secret (REST API secret): ")
    else:
        key = sys.stdin.readline().strip()
        secret = sys.stdin.readline().strip()
    if not key or not secret:
        return None
    return key, secret


def run(args: argparse.Namespace) -> int:
    from pos_app.services import credentials as store

    # `pos-app --lang en credentials ...`: the keychain's explanations follow the global choice.
    lang: str = getattr(args, "lang", None) or "ko"
    try:
        if args.action == "status":
            return _status(lang)
        if args.action == "check":
            return _check(args.api_host)
        if args.action == "clear":
            removed = store.clear_credentials()
            print("credentials removed" if removed else "no credentials were saved")
            if removed:
                _audit("removed")
            return EXIT_OK
        # No point asking for the pair when there is nowhere to keep it.
        store.usable_backend()
        pair = _read_pair()
        if pair is None:
            print(
                "pos-app credentials set: need imp_key and imp_secret, one per line",
                file=sys.stderr,
            )
            return EXIT_NOT_SET
        try:
            pair_ = store.Credentials(*pair)
        except ValueError as exc:
            print(f"pos-app credentials set: {exc}", file=sys.stderr)
            return EXIT_NOT_SET
        store.save_credentials(pair_)
        print(f"credentials saved in {store.backend_name(store.usable_backend())}")
        _audit("saved")
        return EXIT_OK
    except store.KeychainUnavailable as exc:
        print(f"pos-app credentials {args.action}: {exc.message(lang)}", file=sys.stderr)
        return EXIT_NO_KEYCHAIN


def _audit(change: str) -> None:
    from pos_app.services import audit

    audit.record_from_cli(audit.CREDENTIALS_CHANGED, {"change": change})


def _status(lang: str) -> int:
    import keyring

    from pos_app.services import credentials as store

    configured = store.backend_name(keyring.get_keyring())
    print(f"keyring backend: {configured}")
    backend = store.usable_backend()  # raises KeychainUnavailable: reported by run()
    if store.backend_name(backend) != configured:
        print(f"using: {store.backend_name(backend)}")
    saved = store.load_credentials(strict=True) is not None
    print(f"service: {store.SERVICE}")
    print(f"credentials: {'set' if saved else 'not set'}")
    return EXIT_OK if saved else EXIT_NOT_SET


def _check(api_host: str | None) -> int:
    from pos_app.gateway.client import PortOneClient
    from pos_app.gateway.errors import PortOneError, Unavailable
    from pos_app.services import credentials as store
    from pos_app.services.settings import DEFAULT_API_HOST, InvalidSetting, validate_api_host

    try:
        base = validate_api_host(api_host or DEFAULT_API_HOST)
    except InvalidSetting as exc:
        print(f"pos-app credentials check: {exc.message('en')}", file=sys.stderr)
        return EXIT_NOT_SET
    pair = store.load_credentials(strict=True)
    if pair is None:
        print("pos-app credentials check: no credentials saved", file=sys.stderr)
        return EXIT_NOT_SET
    try:
        with PortOneClient(base, pair.imp_key, pair.imp_secret) as client:
            client.get_token()
    except Unavailable as exc:
        print(f"pos-app credentials check: {base} unreachable: {exc.message}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except PortOneError as exc:
        print(f"pos-app credentials check: PortOne refused: {exc.message}", file=sys.stderr)
        return EXIT_NOT_SET
    print(f"PortOne accepted the saved credentials ({base})")
    return EXIT_OK

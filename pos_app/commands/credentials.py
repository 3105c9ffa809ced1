"""`pos-app credentials set|status|clear|check [--v2]`: PortOne's API credentials in the keychain.

For whoever installs the counter PCs. `set` reads imp_key and imp_secret (PortOne V1) from
standard input (two lines) when it is not a terminal, and asks for them without echo when it
is; with `--v2`, PortOne V2's API secret (one line). Never from the command line, where other
users could read them in the process list or shell history.

Exit status: 0 done (`status`: the pair is saved; `check`: PortOne accepted it), 1 bad input,
not saved, or refused by PortOne, 2 no usable keychain, 3 PortOne unreachable.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.services.credentials import ConnectionCheck

HELP = "store, inspect or remove the PortOne API key and secret (kept only in the keychain)"

EXIT_OK = 0
EXIT_NOT_SET = 1
EXIT_NO_KEYCHAIN = 2
EXIT_UNREACHABLE = 3


V2_HELP = "PortOne V2's API secret instead of V1's imp_key/imp_secret pair"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_ = actions.add_parser(
        "set",
        help="store or replace the pair: two lines on standard input, or prompts without echo",
        description=(
            "Store or replace imp_key and imp_secret in the keychain. From a terminal it asks "
            "for both without echo; otherwise it reads two lines from standard input, e.g. "
            '`printf \'%%s\\n%%s\\n\' "$KEY" "$SECRET" | pos-app credentials set`. With --v2, '
            "PortOne V2's API secret: one line, e.g. "
            "`printf '%%s\\n' \"$V2_SECRET\" | pos-app credentials set --v2`."
        ),
    )
    status = actions.add_parser(
        "status", help="show the keychain backend and whether the pair is saved"
    )
    clear = actions.add_parser("clear", help="remove the pair from the keychain")
    check = actions.add_parser(
        "check",
        help="ask PortOne whether it takes the saved credentials (prints PortOne's answer)",
    )
    for action in (set_, status, clear, check):
        action.add_argument("--v2", action="store_true", help=V2_HELP)
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
        if getattr(args, "v2", False):
            return _run_v2(args, lang)
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


def _read_v2_secret() -> str | None:
    if sys.stdin is None:  # the windowed pos-app.exe has no standard input: pos-app-cli.exe has
        return None
    if sys.stdin.isatty():
        import getpass

        secret = getpass.getpass("PortOne V2 API secret: ")
    else:
        secret = sys.stdin.readline().strip()
    return secret or None


def _run_v2(args: argparse.Namespace, lang: str) -> int:
    from pos_app.services import credentials as store

    if args.action == "status":
        backend = store.usable_backend()
        print(f"keyring backend: {store.backend_name(backend)}")
        saved = store.load_v2_secret(strict=True) is not None
        print(f"service: {store.SERVICE}")
        print(f"v2 api secret: {'set' if saved else 'not set'}")
        return EXIT_OK if saved else EXIT_NOT_SET
    if args.action == "clear":
        removed = store.clear_v2_secret()
        if removed:
            _audit("v2_cleared")
        print("V2 API secret removed" if removed else "no V2 API secret was saved")
        return EXIT_OK
    if args.action == "check":
        return _check_v2(args.api_host)
    store.usable_backend()  # no point asking for a secret there is nowhere to keep
    typed = _read_v2_secret()
    if typed is None:
        print("pos-app credentials set --v2: need the API secret on one line", file=sys.stderr)
        return EXIT_NOT_SET
    try:
        secret = store.V2Secret(typed)
    except ValueError as exc:
        print(f"pos-app credentials set --v2: {exc}", file=sys.stderr)
        return EXIT_NOT_SET
    store.save_v2_secret(secret)
    _audit("v2_saved")
    print(f"V2 API secret saved in {store.backend_name(store.usable_backend())}")
    return EXIT_OK


def _check_v2(api_host: str | None) -> int:
    from pos_app.gateway.errors import InsecureBaseURL
    from pos_app.gateway.portone_v2 import LIVE_BASE_URL
    from pos_app.gateway.wire import check_base_url
    from pos_app.services import credentials as store
    from pos_app.services import places

    try:  # V2's root may have a path (a sandbox's is http://127.0.0.1:PORT/v2)
        base = check_base_url(api_host or LIVE_BASE_URL)
    except InsecureBaseURL as exc:
        print(f"pos-app credentials check: {exc.message}", file=sys.stderr)
        return EXIT_NOT_SET
    settings = places.saved_settings(strict_api_host=False)
    check = store.check_v2(base, store_id=settings.store_id, channel_key=settings.v2_channel_key)
    if check.outcome == "missing":
        print("pos-app credentials check --v2: no V2 API secret saved", file=sys.stderr)
        return EXIT_NOT_SET
    return _checked(check, base, "V2 API secret")


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
    from pos_app.services import credentials as store
    from pos_app.services.setting_rules import DEFAULT_API_HOST, InvalidSetting, validate_api_host

    try:
        base = validate_api_host(api_host or DEFAULT_API_HOST)
    except InvalidSetting as exc:
        print(f"pos-app credentials check: {exc.message('en')}", file=sys.stderr)
        return EXIT_NOT_SET
    check = store.check_v1(base)
    if check.outcome == "missing":
        print("pos-app credentials check: no credentials saved", file=sys.stderr)
        return EXIT_NOT_SET
    return _checked(check, base, "credentials")


def _checked(check: ConnectionCheck, base: str, what: str) -> int:
    """What services.credentials found, said as `credentials check` says it."""
    if check.problem is not None:
        raise check.problem  # run() says it: no usable keychain
    if check.outcome == "unreachable":
        print(f"pos-app credentials check: {base} unreachable: {check.message}", file=sys.stderr)
        return EXIT_UNREACHABLE
    if not check.ok:
        print(f"pos-app credentials check: PortOne refused: {check.message}", file=sys.stderr)
        return EXIT_NOT_SET
    print(f"PortOne accepted the saved {what} ({base})")
    return EXIT_OK

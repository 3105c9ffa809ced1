"""The one reader and writer of the settings file (services/settings_file.py), without Qt: the
format as QSettings reads it, what a save keeps, and what a broken or unwritable file costs.
tests/gui/test_settings_file_qsettings.py checks the same file against QSettings itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.services.places import saved_settings
from pos_app.services.settings import (
    SettingsNotSaved,
    TillSettings,
    load_till_settings,
    save_till_settings,
)
from pos_app.services.settings_file import (
    encode_value,
    parse,
    read_settings,
    saved_language,
    settings_path,
    write_section,
)
from pos_app.services.store_server import (
    StoreServerSettings,
    collect_store_errors,
    save_store_settings,
    saved_store_settings,
)


@pytest.fixture
def settings_ini(pos_app_home: Path) -> Path:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    return settings_path()


def test_the_format_as_qsettings_reads_it() -> None:
    text = (
        "\ufeff; a comment line\r\n"
        "orphan=before any section\r\n"
        "[till]\r\n"
        "terminal_id = T5 ; the rest of the line is a comment\r\n"
        'shop_name="a; b" ; quoted, the ; is text\r\n'
        "this line is neither\r\n"
        "[till]\r\n"  # a section named twice is one section
        "pg=nice\r\n"
    )
    assert parse(text.removeprefix("\ufeff")) == {
        "General": {"orphan": "before any section"},
        "till": {"terminal_id": "T5", "shop_name": '"a; b"', "pg": "nice"},
    }


def test_a_file_saved_with_a_byte_order_mark_and_crlf_reads(settings_ini: Path) -> None:
    settings_ini.write_bytes("\ufeff[till]\r\nterminal_id=T5\r\nlanguage=en\r\n".encode())
    assert load_till_settings() == TillSettings(terminal_id="T5", language="en")
    assert saved_language() == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [("[till]\nlanguage=en\n", "en"), ("[till]\nlanguage=jp\n", "ko"), ("", "ko")],
)
def test_the_first_frame_reads_the_language_alone(
    settings_ini: Path, text: str, language: str
) -> None:
    settings_ini.write_text(text, encoding="utf-8")
    assert saved_language() == language


@pytest.mark.parametrize(
    "content", [b"\xff\xfe not UTF-8 \x80", b"[till\nmode=live\n", b"", b"[till]\n=\n"]
)
def test_a_broken_file_means_defaults(settings_ini: Path, content: bytes) -> None:
    settings_ini.write_bytes(content)
    assert load_till_settings() == TillSettings()
    assert saved_settings() == TillSettings()
    assert saved_store_settings() == StoreServerSettings()


def test_a_save_keeps_the_other_sections_and_keys(settings_ini: Path) -> None:
    # A newer version's key and section, and the store server's section, survive this
    # version's save of [till].
    settings_ini.write_text(
        "[store_server]\nhost=10.0.0.5\ndatabase=shop\nuser=pos\n\n"
        '[till]\nterminal_id=T2\nfuture_key="kept, as written"\n\n[future]\nx=1\n',
        encoding="utf-8",
    )
    save_till_settings(TillSettings(terminal_id="T3", shop_name="김밥, 천국"))
    saved = read_settings()
    assert saved.raw("till", "future_key") == '"kept, as written"'
    assert saved.raw("future", "x") == "1"
    assert saved.raw("till", "shop_name") == '"김밥, 천국"'
    assert load_till_settings() == TillSettings(terminal_id="T3", shop_name="김밥, 천국")
    assert saved_store_settings() == StoreServerSettings("10.0.0.5", "5432", "shop", "pos")


def test_a_save_that_cannot_be_written_says_so_and_leaves_nothing_behind(
    settings_ini: Path,
) -> None:
    # A folder where the file should be can never be replaced (as a read-only folder or a full
    # disk refuse it; chmod would not stop root, which runs these tests in CI containers).
    settings_ini.mkdir()
    with pytest.raises(SettingsNotSaved) as caught:
        save_till_settings(TillSettings(terminal_id="T9"))
    assert caught.value.where == str(settings_ini)
    assert "설정" in caught.value.message("ko") and "settings" in caught.value.message("en")
    assert [p.name for p in settings_ini.parent.iterdir() if p.name.startswith(".")] == []
    assert load_till_settings() == TillSettings()


def test_the_store_server_section_is_declared_and_read_like_the_till(settings_ini: Path) -> None:
    settings = StoreServerSettings("pos-server.local", "6432", "shop", "pos", "require")
    save_store_settings(settings)
    assert saved_store_settings() == settings
    assert read_settings().sections["store_server"] == settings.as_texts()
    # Half a server's address is no address: one bad value and the section means "none".
    write_section("store_server", {"user": "bad user"})
    assert saved_store_settings() == StoreServerSettings()
    assert [e.field for e in collect_store_errors({"host": "h", "port": "0"})] == ["port"]
    assert [e.field for e in collect_store_errors({"host": "h", "database": " "})] == ["missing"]


def test_what_is_written_quotes_and_escapes_as_qsettings_does() -> None:
    assert encode_value("plain 텍스트") == "plain 텍스트"
    assert encode_value("김밥, 천국") == '"김밥, 천국"'
    assert encode_value(" edge") == '" edge"'
    assert encode_value('a"b\\c') == 'a\\"b\\\\c'
    assert encode_value("@x") == "@@x"
    assert encode_value("line\nbreak\x01f") == "line\\nbreak\\x1\\x66"


def test_the_settings_file_has_one_reader_and_writer() -> None:
    # No second reader (QSettings, configparser) may come back beside services/settings_file.py:
    # two readers of one file drift apart (a ';' QSettings reads as a comment, configparser not).
    import ast

    import pos_app

    package = Path(pos_app.__file__).parent
    others = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import | ast.ImportFrom)
                else []
            )
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if "QSettings" in names or "configparser" in names or module == "configparser":
                others.add(str(path.relative_to(package)))
    assert others == set()

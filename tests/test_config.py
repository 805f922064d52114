"""The user's config file: where it and the sessions live, what wins, what a mistake says, `config set`.

conftest.py points HOME and every XDG folder into a temp folder, so these tests see a
new account's defaults and never the developer's own files.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from musterm import config
from musterm.cli.main import main
from musterm.errors import FileError
from musterm.store.repository import Store

HEADER = config.NEW_FILE_HEADER


@pytest.fixture
def musterm(capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """Run `musterm ARGS` in this process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        umask = os.umask(0o077)  # main() sets the umask for the process: put it back afterwards
        os.umask(umask)
        try:
            code = main(list(args))
        finally:
            os.umask(umask)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def config_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "musterm" / "config.toml"


def data_home() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


def write_config(text: str) -> Path:
    file = config_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- where things are ---------------------------------------------------------------------------


def test_by_default_the_sessions_live_in_the_users_data_folder_not_the_current_one(
    tmp_path: Path, musterm, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    work = tmp_path / "somewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, err = musterm("new", "--employee", "Anna Sørensen", "--framework", "randers", "--date", "2026-11-23")
    assert (code, err) == (0, "")
    sessions = data_home() / "musterm" / "sessions"
    assert out == f"{sessions / 'anna-sørensen' / '2026-11-23.toml'}\n"
    assert list(work.iterdir()) == []
    # XDG_DATA_HOME did not exist either: musterm made it, and each folder is the user's alone
    for folder in (data_home(), data_home() / "musterm", sessions):
        assert mode(folder) == 0o700, folder
    assert git(sessions, "log", "--format=%s") == "Anna Sørensen 2026-11-23: samtale oprettet\nSamtalearkiv oprettet af musterm\n"


def test_without_xdg_variables_the_folders_follow_the_platform_under_home(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name)
    home = Path(os.environ["HOME"])
    settings = config.resolve()
    assert settings.sessions == home / ".local" / "share" / "musterm" / "sessions"
    assert settings.config_file == home / ".config" / "musterm" / "config.toml"
    assert settings.sessions_origin == "standard"


def test_a_read_only_command_creates_no_folder(musterm) -> None:  # noqa: ANN001
    code, _, err = musterm("list")
    assert code == 1
    assert err == f"musterm: Der er ingen samtaler endnu: {data_home() / 'musterm' / 'sessions'} findes ikke.\n"
    assert not data_home().exists()


# --- what wins ------------------------------------------------------------------------------------


def test_option_beats_environment_beats_file_beats_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(f'sessions = "{tmp_path / "from-file"}"\ntheme = "nord"\n')
    assert (config.resolve().sessions, config.resolve().sessions_origin) == (tmp_path / "from-file", "indstillingsfilen")
    monkeypatch.setenv("MUSTERM_SESSIONS", str(tmp_path / "from-env"))
    assert (config.resolve().sessions, config.resolve().sessions_origin) == (tmp_path / "from-env", "$MUSTERM_SESSIONS")
    chosen = config.resolve(sessions=str(tmp_path / "from-option"))
    assert (chosen.sessions, chosen.sessions_origin) == (tmp_path / "from-option", "kommandolinjen")
    assert (chosen.theme, chosen.theme_origin) == ("nord", "indstillingsfilen")
    monkeypatch.setenv("MUSTERM_THEME", "gruvbox")
    assert (config.resolve().theme, config.resolve().theme_origin) == ("gruvbox", "$MUSTERM_THEME")
    config_file().unlink()
    monkeypatch.delenv("MUSTERM_THEME")
    assert (config.resolve().theme, config.resolve().theme_origin) == ("ansi-dark", "standard")


def test_framework_folders_of_file_environment_and_options_all_count_in_that_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config('frameworks = ["~/hr/rammer"]\n')
    monkeypatch.setenv("MUSTERM_FRAMEWORKS", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    settings = config.resolve(frameworks=[str(tmp_path / "c")])
    home = Path(os.environ["HOME"])
    assert settings.frameworks == (home / "hr" / "rammer", tmp_path / "a", tmp_path / "b", tmp_path / "c")


def test_the_manager_comes_from_the_environment_then_the_file_then_git(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(os.environ["GIT_CONFIG_GLOBAL"]).write_text("[user]\n\tname = Git Navn\n\temail = git@example.org\n")
    assert config.resolve().manager == config.Manager("Git Navn", "git@example.org", "git config user.name")
    write_config('[manager]\nname = "Lis Leder"\nemail = "lis.leder@kommune.dk"\n')
    assert config.resolve().manager == config.Manager("Lis Leder", "lis.leder@kommune.dk", "indstillingsfilen")
    monkeypatch.setenv("MUSTERM_MANAGER", "Bo Leder")
    monkeypatch.setenv("MUSTERM_MANAGER_EMAIL", "bo@kommune.dk")
    assert config.resolve().manager == config.Manager("Bo Leder", "bo@kommune.dk", "$MUSTERM_MANAGER")


def test_the_key_map_is_the_files_keys_table() -> None:
    write_config('[keys]\nnew = "ctrl+k"\nquit = "ctrl+q,f10"\n"conversation.next" = "f8"\n')
    assert config.keymap() == {"new": "ctrl+k", "quit": "ctrl+q,f10", "conversation.next": "f8"}


# --- mistakes in the file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            '# mine\n[manager]\nname = "Lis"\nemial = "lis@kommune.dk"\n',
            ["{file}:4: manager.emial: ukendt nøgle 'emial' (mente du 'email'?)"],
        ),
        (
            'sessions = "samtaler"\nframeworks = [1]\n',
            [
                "{file}:1: sessions: 'samtaler' skal være en fuld sti (begynd med / eller ~/), ikke en sti i "
                "forhold til en mappe",
                "{file}:2: frameworks[0]: skal være en tekst i anførselstegn, ikke tallet 1",
            ],
        ),
        (
            '\n[manager]\nemail = "lis.leder"\n',
            ["{file}:3: manager.email: 'lis.leder' er ikke en e-mailadresse (som navn@kommune.dk)"],
        ),
        (
            '[keys]\nnew = "ctrl n"\n',
            ["{file}:2: keys.new: 'ctrl n' er ikke en tast: skriv fx 'ctrl+n', eller flere adskilt af komma: "
             "'f2,ctrl+pgup'"],
        ),
        ('theme = nord\n', ["{file}:1: TOML-syntaksfejl: ugyldig værdi (mangler der anførselstegn om en tekst?)"]),
    ],
    ids=["unknown-key", "relative-path-and-type", "email", "keys", "syntax"],
)
def test_a_mistake_is_named_by_file_line_and_key_and_stops_every_command(
    musterm, text: str, problems: list[str]  # noqa: ANN001
) -> None:
    file = write_config(text)
    expected = "\n".join(problem.format(file=file) for problem in problems)
    for args in (("list",), ("new", "--employee", "Anna", "--framework", "randers"), ("config",)):
        code, out, err = musterm(*args)
        assert (code, out, err) == (1, "", f"musterm: {expected}\n"), args
    assert not data_home().exists()  # nothing was created on the way


# --- musterm config set / unset -------------------------------------------------------------------


def test_config_set_creates_a_private_file_with_a_header(musterm) -> None:  # noqa: ANN001
    code, out, err = musterm("config", "set", "manager.email", "lis.leder@kommune.dk")
    assert (code, err) == (0, "")
    assert out == "manager.email = lis.leder@kommune.dk gemt i ~/.config/musterm/config.toml\n"
    assert config_file().read_text() == f'{HEADER}\n[manager]\nemail = "lis.leder@kommune.dk"\n'
    assert mode(config_file()) == 0o600
    assert mode(config_file().parent) == 0o700


def test_config_set_keeps_what_a_person_wrote(musterm) -> None:  # noqa: ANN001
    write_config('# Mine indstillinger\ntheme = "nord"   # mørkt\n\n[manager]\nname = "Lis Leder"  # det er mig\n')
    assert musterm("config", "set", "manager.email", "lis.leder@kommune.dk")[0] == 0
    assert musterm("config", "set", "keys.new", "ctrl+k")[0] == 0
    assert musterm("config", "set", "theme", "gruvbox")[0] == 0
    assert config_file().read_text() == (
        '# Mine indstillinger\ntheme = "gruvbox"   # mørkt\n\n[manager]\nname = "Lis Leder"  # det er mig\n'
        'email = "lis.leder@kommune.dk"\n\n[keys]\nnew = "ctrl+k"\n'
    )
    code, out, _ = musterm("config", "unset", "theme")
    assert (code, out) == (0, "theme fjernet fra ~/.config/musterm/config.toml\n")
    assert config_file().read_text().startswith('# Mine indstillinger\n\n[manager]\nname = "Lis Leder"  # det er mig\n')


def test_config_set_refuses_a_bad_value_and_leaves_the_file_as_it_was(musterm) -> None:  # noqa: ANN001
    before = '# mine\n[manager]\nname = "Lis Leder"\n'
    write_config(before)
    code, out, err = musterm("config", "set", "manager.email", "lis.leder")
    assert (code, out) == (1, "")
    assert err == (
        "musterm: manager.email: 'lis.leder' er ikke en e-mailadresse (som navn@kommune.dk). "
        "Indstillingsfilen er ikke ændret.\n"
    )
    assert musterm("config", "set", "manager.phone", "12345678")[2] == (
        "musterm: ukendt indstilling 'manager.phone' (mulige: sessions, frameworks, theme, manager.name, "
        "manager.email, keys.ID)\n"
    )
    assert musterm("config", "set", "theme", "lilla")[2].startswith("musterm: ukendt tema 'lilla' (mulige: ansi-dark, ")
    assert config_file().read_text() == before


def test_config_set_does_not_touch_a_file_with_a_mistake(musterm) -> None:  # noqa: ANN001
    before = '[manager]\nemial = "lis@kommune.dk"\n'
    file = write_config(before)
    code, _, err = musterm("config", "set", "manager.name", "Lis Leder")
    assert code == 1
    assert err == f"musterm: {file}:2: manager.emial: ukendt nøgle 'emial' (mente du 'email'?)\n"
    assert file.read_text() == before


def test_config_set_of_folders_stores_full_paths(tmp_path: Path, musterm, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    assert musterm("config", "set", "sessions", "mus")[0] == 0
    assert musterm("config", "set", "frameworks", "~/rammer", "hr")[0] == 0
    assert config_file().read_text().endswith(f'sessions = "{tmp_path / "mus"}"\nframeworks = ["~/rammer", "{tmp_path / "hr"}"]\n')
    assert config.resolve().sessions == tmp_path / "mus"


def test_a_linked_config_file_stays_a_link(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    dotfiles = tmp_path / "dotfiles" / "musterm.toml"
    dotfiles.parent.mkdir()
    dotfiles.write_text("# fra mine dotfiles\n")
    config_file().parent.mkdir(parents=True)
    config_file().symlink_to(dotfiles)
    assert musterm("config", "set", "manager.name", "Lis Leder")[0] == 0
    assert config_file().is_symlink()
    assert dotfiles.read_text() == '# fra mine dotfiles\n\n[manager]\nname = "Lis Leder"\n'


def test_config_shows_every_setting_and_where_it_comes_from(tmp_path: Path, musterm, monkeypatch) -> None:  # noqa: ANN001
    write_config('[manager]\nname = "Lis Leder"\nemail = "lis.leder@kommune.dk"\n\n[keys]\nnew = "ctrl+k"\n')
    monkeypatch.setenv("MUSTERM_SESSIONS", str(tmp_path / "mus"))
    code, out, _ = musterm("config")
    bundled = Path(__file__).resolve().parent.parent / "frameworks"
    assert (code, out) == (0, (
        "Indstillinger: ~/.config/musterm/config.toml\n"
        f"Samtaler: {tmp_path / 'mus'} ($MUSTERM_SESSIONS)\n"
        f"Rammer: {bundled} (indbygget)\n"
        "Leder: Lis Leder <lis.leder@kommune.dk> (indstillingsfilen)\n"
        "Tema: ansi-dark (standard)\n"
        "Tast: new = ctrl+k\n"
    ))


# --- the manager's e-mail in conversations and commits ------------------------------------------------


def test_set_once_the_managers_email_is_in_new_conversations_and_their_commits(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    assert musterm("config", "set", "manager.name", "Lis Leder")[0] == 0
    assert musterm("config", "set", "manager.email", "lis.leder@kommune.dk")[0] == 0
    root = tmp_path / "sessions"
    code, out, _ = musterm("--sessions", str(root), "new", "--employee", "Anna", "--framework", "randers",
                           "--date", "2026-11-23")
    assert code == 0
    assert '[manager]\nname = "Lis Leder"\nemail = "lis.leder@kommune.dk"\n' in Path(out.strip()).read_text()
    assert git(root, "log", "--format=%an <%ae>|%cn <%ce>|%s") == (
        "Lis Leder <lis.leder@kommune.dk>|Lis Leder <lis.leder@kommune.dk>|Anna 2026-11-23: samtale oprettet\n"
        "Lis Leder <lis.leder@kommune.dk>|Lis Leder <lis.leder@kommune.dk>|Samtalearkiv oprettet af musterm\n"
    )
    # someone else named on the command line does not get Lis's address
    code, out, _ = musterm("--sessions", str(root), "new", "--employee", "Bo", "--framework", "randers",
                           "--manager", "Kim Vikar")
    assert code == 0
    assert '[manager]\nname = "Kim Vikar"\n\n' in Path(out.strip()).read_text()
    assert git(root, "log", "-1", "--format=%an <%ae>") == "Kim Vikar <>\n"


def test_an_older_conversation_without_email_is_committed_with_the_managers(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    code, out, _ = musterm("--sessions", str(root), "new", "--employee", "Anna", "--framework", "randers",
                           "--manager", "Lis Leder")
    assert code == 0
    assert git(root, "log", "-1", "--format=%an <%ae>") == "Lis Leder <>\n"  # before the e-mail was set
    assert musterm("config", "set", "manager.name", "Lis Leder")[0] == 0
    assert musterm("config", "set", "manager.email", "lis.leder@kommune.dk")[0] == 0
    store = Store.open(root)
    relative = store.relative(Path(out.strip()))
    session = store.load(relative)
    session.private.notes = "Husk opfølgning."
    store.save(relative, session)
    assert store.commit(relative, session)
    assert git(root, "log", "-1", "--format=%an <%ae>") == "Lis Leder <lis.leder@kommune.dk>\n"
    assert 'email = ""' not in store.path_of(relative).read_text()  # the file itself is not rewritten for it


# --- the app uses the theme and the key map ------------------------------------------------------------


async def test_the_app_takes_its_theme_and_keys_from_the_config_file(tmp_path: Path) -> None:
    from musterm.app.run import build_app
    from musterm.app.screens.new_conversation import NewConversationScreen
    from musterm.cli.parser import build_parser

    write_config('theme = "nord"\n\n[keys]\nnew = "f12"\n')
    app = build_app(build_parser().parse_args(["--sessions", str(tmp_path / "sessions")]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        await pilot.press("ctrl+n")  # the default key no longer opens the form
        await pilot.pause()
        assert not isinstance(app.screen, NewConversationScreen)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, NewConversationScreen)


async def test_the_start_screen_says_where_the_sessions_are(musterm) -> None:  # noqa: ANN001
    from musterm.app.run import build_app
    from musterm.cli.parser import build_parser

    app = build_app(build_parser().parse_args([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#start-title").render())
    assert title == "musterm · samtalerne ligger i ~/.local/share/musterm/sessions"
    assert (data_home() / "musterm" / "sessions" / ".musterm").is_file()


def test_a_config_file_broken_while_musterm_runs_does_not_stop_a_commit(tmp_path: Path) -> None:
    write_config('[manager]\nname = "Lis Leder"\nemail = "lis.leder@kommune.dk"\n')
    from musterm.app.run import build_app
    from musterm.cli.parser import build_parser

    app = build_app(build_parser().parse_args(["--sessions", str(tmp_path / "sessions")]))
    write_config('[manager]\nemial = "x"\n')  # edited by hand, wrongly, during the meeting
    framework = app.catalog.get("randers")
    from musterm.store.planning import plan_conversation

    relative = plan_conversation(app.store, framework, employee="Anna", date="2026-11-23")
    assert git(app.store.root, "log", "-1", "--format=%an <%ae>") == "Lis Leder <lis.leder@kommune.dk>\n"
    assert app.store.path_of(relative).is_file()
    # a store opened without a manager after the damage falls back to the account, and still commits
    store = Store.open(tmp_path / "sessions")
    session = store.load(relative)
    session.manager = session.manager.model_copy(update={"email": ""})
    store.save(relative, session)
    assert store.commit(relative, session)


def test_a_checked_file_is_remembered_by_its_content_and_a_changed_one_checked_again() -> None:
    write_config('[manager]\nname = "Lis Leder"\n')
    assert config.resolve().manager.name == "Lis Leder"
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "musterm" / "config-checked.json"
    assert mode(cache) == 0o600 and mode(cache.parent) == 0o700
    assert '"manager_name": "Lis Leder"' in cache.read_text()
    file = write_config('[manager]\nname = "Lis Ledr"\n')
    assert config.resolve().manager.name == "Lis Ledr"
    write_config('[manager]\nnavn = "Lis Leder"\n')  # the same size: the content decides
    with pytest.raises(FileError) as raised:
        config.resolve()
    assert str(raised.value) == f"{file}:2: manager.navn: ukendt nøgle 'navn' (mulige nøgler: name, email)"
    cache.write_text("{not json")
    write_config('[manager]\nname = "Lis Leder"\n')
    assert config.resolve().manager.name == "Lis Leder"  # a damaged cache is only a cache

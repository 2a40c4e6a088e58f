"""The command line as an operator and score.py use it: real processes, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from bot.knowledge import load_agreement
from bot.milestones.dates import OSLO
from bot.milestones.model import load_milestones
from bot.storage import open_database

from .conftest import REPO_DIR
from .storage_urls import database_url


def environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment without a token, and an in-memory database unless the test names one."""
    inherited = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "DATABASE_URL"}}
    return inherited | {"DATABASE_URL": "sqlite:///:memory:"} | (env or {})


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path = REPO_DIR
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=cwd,
        env=environment(env), timeout=60,
    )  # fmt: skip


def test_ask_prints_the_answer() -> None:
    result = run("ask", "hva sier avtalen om sykkel?")
    assert result.returncode == 0
    assert "Tiltak 3.2" in result.stdout and "Dette sier avtalen om sykkel:" in result.stdout
    assert "*" not in result.stdout and "\x1b[" not in result.stdout  # a pipe: no marks, no escape codes


def test_ask_says_when_the_agreement_is_silent() -> None:
    result = run("ask", "legevakt")
    assert result.returncode == 0 and "finner ikke noe om" in result.stdout


def test_ask_json_reads_many_questions_from_stdin() -> None:
    result = run("ask", "--json", stdin="sykkel\nlegevakt\n3.2\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in records] == ["sykkel", "legevakt", "3.2"]
    assert {r["id"] for r in records[0]["results"][:3]} == {"3.2", "3.3", "3.8"}
    assert records[1]["results"] == []
    assert records[2]["results"][0] == {"id": "3.2", "score": 100.0}


def test_ask_json_with_a_question_argument() -> None:
    records = [json.loads(line) for line in run("ask", "--json", "buss").stdout.splitlines()]
    assert len(records) == 1 and records[0]["results"][0]["id"] == "3.4"


def test_bad_usage_exits_2_with_a_short_message() -> None:
    for args in (("frobnicate",), ("ask", "--nope"), ("stats", "--limit", "many"), ("stats", "--limit", "-1"),
                 ("stats", "--limit", "0")):  # fmt: skip
        result = run(*args)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_chat_in_the_terminal() -> None:
    result = run("chat", stdin="/innhold\n3\nbuss\n/tiltak 1.8\n")
    assert result.returncode == 0
    out = result.stdout
    assert "Innhold i avtalen" in out and "Innsatsområde 3" in out  # pressed button [3]
    assert "Tiltak 3.4" in out and "fag- og svennebrev" in out and "Ha det!" in out


def test_the_terminal_chat_is_a_private_chat_with_an_admin(tmp_path: Path) -> None:
    """With no DATABASE_URL the default database (data/bot.sqlite3 in the working directory) keeps what the
    terminal's admin changed, for the next run and for the bot."""
    env = {k: v for k, v in environment().items() if k != "DATABASE_URL"}
    typed = "/abonner yrkesmesse 14d\n/settdato yrkesmesse 14.10.2099 kl. 10.00\n/varsler\nnaar er yrkesmessa?\n"
    result = subprocess.run([sys.executable, "-m", "bot", "chat"], input=typed, capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "påminnelser om Regional yrkesmesse, 14 dager før" in result.stdout
    assert "satt til onsdag 14. oktober 2099 kl. 10.00" in result.stdout
    assert "Neste: Regional yrkesmesse, onsdag 14. oktober 2099" in result.stdout
    assert "Regional yrkesmesse (tiltak 1.7) · onsdag 14. oktober 2099" in result.stdout
    assert (tmp_path / "data" / "bot.sqlite3").is_file()
    again = subprocess.run([sys.executable, "-m", "bot", "ask", "datoer"], capture_output=True, text=True,
                           cwd=tmp_path, env=env, timeout=60)  # fmt: skip
    assert "onsdag 14. oktober 2099" in again.stdout


def test_the_terminal_admin_teaches_words_and_reads_the_statistics(tmp_path: Path) -> None:
    """The staff tools in the terminal, as in an admin's private Telegram chat: a taught word is searched with
    from the next question, the terminal's questions are counted, the report's page buttons work; the output
    (a pipe) shows no raw formatting marks, and /hjelp has no inline mode, which only Telegram has."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    database = open_database(url)
    for number in range(1, 13):  # from Telegram chats, unanswered: two pages of the report
        database.log_question(f"legevakt {number}", False, None, "private")
    database.close()
    typed = [
        "hva med sparkesykkel?",
        "/laer sparkesykkel = sykkel",
        "hva med sparkesykkel?",
        "/statistikk",
        "1",  # its only button: the next page of unanswered questions
        "/statistikk ukentlig",
        "/ordliste",
        "/endringer",
        "/glem sparkesykkel",
        "hva med sparkesykkel?",
        "/hjelp",
    ]
    result = run("chat", stdin="".join(line + "\n" for line in typed), env={"DATABASE_URL": url})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    replies = result.stdout.split("\n> ")[1:]
    assert len(replies) == len(typed) + 1  # and the prompt at the end of input
    assert "Jeg finner ikke noe om sparkesykkel" in replies[0]
    assert "Lært: «sparkesykkel» betyr nå «sykkel»" in replies[1]
    assert "Det svarer nå på 1 tidligere ubesvarte spørsmål" in replies[1]  # the terminal's own question
    assert replies[2].startswith("Dette sier avtalen om sparkesykkel:") and "Tiltak 3.8" in replies[2]
    assert "Statistikk: siste 30 dager" in replies[3] and "Spørsmål stilt: 14" in replies[3]
    assert "Besvart: 1 (7 %)" in replies[3] and "side 1 av 2" in replies[3] and "[1] Neste ▸" in replies[3]
    assert "side 2 av 2" in replies[4] and "«legevakt" in replies[4]
    assert "bare" not in replies[5] and "Telegram hver mandag" in replies[5]
    assert "«sparkesykkel» → sykkel · lært av 0" in replies[6]
    assert "/laer sparkesykkel · bruker 0 i chat 0" in replies[7]
    assert "Glemt: «sparkesykkel»" in replies[8] and "Jeg finner ikke noe om sparkesykkel" in replies[9]
    assert "/statistikk" in replies[10] and "/laer" in replies[10] and "/settdato" in replies[10]
    assert "@partnerskapsbot" not in replies[10] and "sykkel</code>" not in replies[10]
    assert "*" not in result.stdout and "_" not in result.stdout and "\x1b[" not in result.stdout
    assert "Statistikk, ordlisten og endringsloggen brukes i Telegram-chatten" not in result.stdout
    database = open_database(url)
    assert database.question_count_between(datetime.now(OSLO) - timedelta(days=1), datetime.now(OSLO) + timedelta(
        days=1)) == (15, 1)  # fmt: skip
    database.close()


def test_an_unwritable_database_falls_back_to_memory() -> None:
    result = run("chat", stdin="/abonner\n/varsler\n", env={"DATABASE_URL": "sqlite:////proc/no/such/bot.sqlite3"})
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "note: cannot open the SQLite database" in result.stderr and "in-memory database" in result.stderr
    assert "Denne chatten får nå påminnelser om alle milepæler" in result.stdout and "Påminnelser i denne chatten" in (
        result.stdout
    )


def test_a_closed_pipe_ends_quietly() -> None:
    """`ask … | head -1`: the reader stops early; no BrokenPipeError traceback, whatever the output."""
    for args, stdin in ((["ask"], "sykkel\n" * 300), (["ask", "--json"], "buss\n" * 3000)):
        with subprocess.Popen(
            [sys.executable, "-m", "bot", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=REPO_DIR, env=environment(), text=True,
        ) as process:  # fmt: skip
            assert process.stdin is not None and process.stdout is not None and process.stderr is not None
            process.stdin.write(stdin)
            process.stdin.close()
            first = process.stdout.readline()
            process.stdout.close()  # what `head -1` does after its line
            errors = process.stderr.read()
            code = process.wait(timeout=60)
        assert first.strip(), args
        assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
        assert code == 0, args
    shell = subprocess.run(
        f"{sys.executable} -m bot ask 'hva sier avtalen om sykkel?' | head -1", shell=True, capture_output=True,
        text=True, cwd=REPO_DIR, env=environment(), timeout=60,
    )  # fmt: skip
    assert shell.stdout.startswith("Dette sier avtalen om") and shell.stderr == ""


def test_ask_answers_as_a_private_chat() -> None:
    out = run("ask", "takk").stdout + run("ask", "4.1").stdout + run("ask", "3,2").stdout + run("ask", "hjelp").stdout
    assert "Bare hyggelig" in out and "Avtalen har ikke noe tiltak 4.1" in out and "\nTiltak 3.2 · " in out
    assert "Slik bruker du meg" in out
    records = [json.loads(line) for line in run("ask", "--json", stdin="hvem er partene?\n4.1\ntakk\n").stdout.split(
        "\n") if line]  # fmt: skip
    assert [[r["id"] for r in record["results"]] for record in records] == [
        ["innledning", "likeverdige-parter"],
        [],
        [],
    ]


def test_no_command_without_a_token_opens_the_chat() -> None:
    result = run(stdin="sykkel\n")
    assert result.returncode == 0 and "Terminalchat" in result.stdout and "Tiltak 3.8" in result.stdout


def test_stats_lists_subjects_and_unanswered_questions(tmp_path: object) -> None:
    from bot.storage import open_database

    url = f"sqlite:///{tmp_path}/stats.sqlite3"
    database = open_database(url)
    for text, answered, top in [("sykkel", True, "3.2"), ("sykkel", True, "3.2"), ("legevakt", False, None)]:
        database.log_question(text, answered, top, "private")
    database.close()
    result = run("stats", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "Questions logged: 3 (2 answered, 1 unanswered)" in result.stdout
    assert "2  tiltak 3.2: Strategisk og kunnskapsbasert" in result.stdout
    assert "1  legevakt" in result.stdout
    bad = run("stats", env={"DATABASE_URL": "mysql://nope"})
    assert bad.returncode == 2 and "DATABASE_URL must start with" in bad.stderr and "Traceback" not in bad.stderr
    bad = run("stats", env={"DATABASE_URL": url, "LOG_LEVEL": "LOUD"})
    assert (
        bad.returncode == 2 and bad.stderr.startswith("error: LOG_LEVEL must be") and len(bad.stderr.splitlines()) == 1
    )


def test_every_message_for_the_operator_is_one_kind_of_error() -> None:
    """One base class, so `python -m bot` has one place that prints them and exits 2."""
    from bot.datafile import DataFileError
    from bot.errors import OperatorError
    from bot.settings import SettingsError
    from bot.storage import StorageError

    assert all(issubclass(error, OperatorError) for error in (DataFileError, SettingsError, StorageError))


def test_ics_writes_every_dated_milestone(tmp_path: Path) -> None:
    """`python -m bot ics > milepaeler.ics`: the milestones as the database has them, read back."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    database = open_database(url)
    agreement = load_agreement()
    fair = load_milestones(agreement)[0]
    database.save_milestone(replace(fair, starts_at=datetime(2031, 10, 14, 9, 0, tzinfo=OSLO)))
    database.close()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ics"], capture_output=True, cwd=REPO_DIR, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"} | {"DATABASE_URL": url},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert b"\r\n" in result.stdout  # written as bytes: CRLF survives stdout
    (event,) = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    assert str(event["UID"]) == "yrkesmesse-2031@partnerskapsboten"
    assert event.start == datetime(2031, 10, 14, 9, 0, tzinfo=OSLO)
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [-timedelta(days=14), -timedelta(days=1)]


def test_ics_without_a_date_says_so_in_english(tmp_path: Path) -> None:
    result = run("ics", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}"})
    assert result.returncode == 1 and result.stdout == ""
    assert "no milestone has a date yet" in result.stderr and "Traceback" not in result.stderr
    assert run("ics", "--chat", "many").returncode == 2


def test_lexicon_export_prints_taught_words_in_the_synonyms_format(tmp_path: object) -> None:
    from datetime import datetime
    from pathlib import Path

    from bot.milestones.dates import OSLO
    from bot.search.lexicon import STOPWORDS_FILE, load_lexicon
    from bot.storage import TaughtWord, open_database

    url = f"sqlite:///{tmp_path}/lexicon.sqlite3"
    database = open_database(url)
    now = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)
    database.teach_word(TaughtWord("sparkesykkel", ("transportformer",), 999, 999, now))
    database.teach_word(TaughtWord("el-sparkesykkel utleie", ("transportformer", "delingsordninger"), 5, -1, now))
    database.close()
    result = run("lexicon", "export", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    exported = Path(str(tmp_path)) / "synonyms.yaml"
    exported.write_text(result.stdout, encoding="utf-8")
    assert [(g.words, g.means) for g in load_lexicon(STOPWORDS_FILE, exported).synonyms] == [
        (("el-sparkesykkel utleie",), ("transportformer", "delingsordninger")),
        (("sparkesykkel",), ("transportformer",)),
    ]
    for args in (("lexicon",), ("lexicon", "import")):
        bad = run(*args)
        assert bad.returncode == 2 and "usage:" in bad.stderr and "Traceback" not in bad.stderr


# -- `ask` over the database the bot keeps: the words taught with /laer, and no database at all ----------------
def teach_sparkesykkel(url: str) -> None:
    """What /laer stores: "sparkesykkel", which the shipped knowledge does not find, now finds 3.3."""
    from bot.storage import TaughtWord

    database = open_database(url)
    database.teach_word(TaughtWord("sparkesykkel", ("transportformer",), 999, 999, datetime.now(OSLO)))
    database.close()


def top_ids(stdout: str) -> list[str | None]:
    return [(json.loads(line)["results"] or [{"id": None}])[0]["id"] for line in stdout.splitlines()]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_ask_searches_with_the_words_taught_in_the_chat(tmp_path: Path, kind: str) -> None:
    assert top_ids(run("ask", "--json", "sparkesykkel").stdout) == [None]  # the repository alone
    with database_url(kind, tmp_path) as url:
        teach_sparkesykkel(url)
        result = run("ask", "--json", stdin="sparkesykkel\nhva med sparkesykler?\n", env={"DATABASE_URL": url})
        assert result.returncode == 0 and result.stderr == "", result.stderr
        assert top_ids(result.stdout) == ["3.3", "3.3"]
        text = run("ask", "hva med sparkesykkel?", env={"DATABASE_URL": url})
        assert text.stdout.startswith("Dette sier avtalen om sparkesykkel:") and "Tiltak 3.3" in text.stdout


def test_ask_uses_the_default_database_as_bot_run_does(tmp_path: Path) -> None:
    """No DATABASE_URL: data/bot.sqlite3 in the working directory, as `bot run` and `chat` use it."""
    (tmp_path / "data").mkdir()
    teach_sparkesykkel(f"sqlite:///{tmp_path / 'data' / 'bot.sqlite3'}")
    env = {k: v for k, v in environment().items() if k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "sparkesykkel"], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 0 and top_ids(result.stdout) == ["3.3"], result.stderr


def unreadable_sqlite(tmp_path: Path) -> str:
    """A SQLite file that opens, at the current schema, whose tables someone has dropped."""
    url = f"sqlite:///{tmp_path / 'damaged.sqlite3'}"
    teach_sparkesykkel(url)
    database = open_database(url)
    database.execute("DROP TABLE taught_words")
    database.execute("DROP TABLE milestones")
    database.close()
    return url


def test_ask_without_a_readable_database_answers_from_the_repository(tmp_path: Path) -> None:
    """A database that cannot be opened (PostgreSQL not listening, a file that is no database) or read (tables
    gone): the answers of the repository alone on stdout, pure JSON lines, and one English line on stderr."""
    (tmp_path / "garbage.sqlite3").write_text("not a database\n")
    questions = "sykkel\ndatoer\nnaar er yrkesmessa?\nsparkesykkel\n"
    expected = run("ask", "--json", stdin=questions)
    assert expected.returncode == 0 and len(expected.stdout.splitlines()) == 4
    damaged = unreadable_sqlite(tmp_path)
    for url in ("postgresql://bot:bot@127.0.0.1:1/nothing_listens_here", f"sqlite:///{tmp_path / 'garbage.sqlite3'}",
                damaged):  # fmt: skip
        result = run("ask", "--json", stdin=questions, env={"DATABASE_URL": url})
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected.stdout  # nothing but the JSON lines
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("note: ") and "repository's knowledge alone" in result.stderr
        text = run("ask", "datoer", env={"DATABASE_URL": url})
        assert text.returncode == 0 and "Milepæler" in text.stdout and len(text.stderr.splitlines()) == 1
    chat = run("chat", stdin="/abonner\n/varsler\n", env={"DATABASE_URL": damaged})
    assert chat.returncode == 0 and "Traceback" not in chat.stderr, chat.stderr
    assert chat.stderr.startswith("note: cannot read the database") and "in-memory database" in chat.stderr
    assert "Påminnelser i denne chatten" in chat.stdout  # kept in memory for the session


def test_ask_goes_on_without_a_database_that_goes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Questions on stdin, and the database becomes unreadable between two: one note, every answer given."""
    from bot import cli

    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    teach_sparkesykkel(url)
    database = open_database(url)
    assistant = cli.stored_assistant(database, cli.ASK_FALLBACK, taught=True)

    class Stdin:
        def isatty(self) -> bool:
            return False

        def __iter__(self) -> Iterator[str]:
            yield "datoer\n"
            database.execute("DROP TABLE milestones")
            yield "datoer\n"
            yield "sparkesykkel\n"

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert cli.ask(assistant, [], as_json=False) == 0
    database.close()
    out, err = capsys.readouterr()
    assert out.count("Milepæler\n") == 2 and "Tiltak 3.3" in out  # the taught word was read at the start
    assert err.splitlines() == [
        "note: cannot read the database: no such table: milestones; answering from the repository's knowledge alone"
    ]


def test_ask_help_lists_what_ask_can_do() -> None:
    """`ask` runs questions and the commands that read the agreement; its help lists those, without inline mode
    (only Telegram has it) and without subscriptions, files or staff tools, which need a chat."""
    result = run("ask", stdin="hjelp\n/hjelp\n/innhold\n/tiltak 1.8\n/abonner\n/kalender\n/laer a = b\n")
    assert result.returncode == 0 and result.stderr == ""
    helps = result.stdout.split("Slik bruker du meg")[1:]
    assert len(helps) == 2
    for shown in helps:
        assert "/tiltak <nummer>" in shown and "/innhold" in shown and "/milepaeler" in shown
        assert "@partnerskapsbot" not in shown and "/abonner" not in shown and "/kalender" not in shown
        assert "/varsler" not in shown and "/laer" not in shown
    assert "Innhold i avtalen" in result.stdout and "Tiltak 1.8 · " in result.stdout
    assert result.stdout.count("Den kommandoen virker i en chat") == 2  # /abonner and /laer
    assert "python -m bot ics > milepaeler.ics" in result.stdout


def test_kalender_in_the_terminal_chat_writes_into_the_working_directory(tmp_path: Path) -> None:
    typed = "/settdato yrkesmesse 14.10.2031 kl. 09.00\n/kalender\n"
    result = run("chat", stdin=typed, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}"}, cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"Kalenderfilen er skrevet til {tmp_path / 'milepaeler.ics'}." in result.stdout
    (event,) = icalendar.Calendar.from_ical((tmp_path / "milepaeler.ics").read_bytes()).walk("VEVENT")
    assert event.start == datetime(2031, 10, 14, 9, 0, tzinfo=OSLO)
    assert list(event.walk("VALARM")) == []  # the terminal chat subscribes to nothing here
    assert "Filen har ingen varsler, fordi denne chatten ikke abonnerer" in result.stdout


def test_only_questions_that_found_nothing_count_as_unanswered(tmp_path: Path) -> None:
    """Greetings, thanks and a button's label typed get a pointer, not a search: neither /statistikk nor `stats`
    counts them; both show a question as most often typed."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    typed = ["hei", "Flere treff", "/", "//", "Legevakt", "Legevakt", "legevakt", "sykkel", "/statistikk"]
    chat = run("chat", stdin="".join(line + "\n" for line in typed), env={"DATABASE_URL": url})
    assert chat.returncode == 0, chat.stderr
    assert "Spørsmål stilt: 4\nBesvart: 1 (25 %)" in chat.stdout
    assert "• 3 × «Legevakt»" in chat.stdout
    for pointer in ("hei", "Flere treff", "/", "//"):
        assert f"«{pointer}»" not in chat.stdout.split("Ubesvarte spørsmål")[1], pointer
    stats = run("stats", env={"DATABASE_URL": url})
    assert "Questions logged: 4 (1 answered, 3 unanswered)" in stats.stdout
    unanswered = stats.stdout.split("Unanswered questions")[1].splitlines()[1:]
    assert [line.split() for line in unanswered] == [["3", "Legevakt"]]

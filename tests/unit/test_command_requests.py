"""Handing a command to the running dashboard never hangs: with no dashboard answering, the command line gives up
after its timeout with a plain message and takes its request back; with no recent heartbeat it does not hand over."""

import os
import threading
import time

from strategy import command_requests
from strategy.commands import build_parser


def test_an_unanswered_request_times_out_plainly_and_is_withdrawn(demo_db_copy, capsys):
    folder = command_requests.requests_folder(demo_db_copy)
    folder.mkdir()
    beat = folder / command_requests.HEARTBEAT
    stop = threading.Event()

    def heartbeat():  # a dashboard that is alive but never takes up requests
        while not stop.is_set():
            beat.touch()
            time.sleep(0.2)

    beat.touch()  # alive from the start, not only once the thread is first scheduled
    threading.Thread(target=heartbeat, daemon=True).start()
    try:
        argv = ["--db", str(demo_db_copy), "heatmap", "--json"]
        args = build_parser().parse_args(argv)
        assert command_requests.should_hand_over(args)
        started = time.monotonic()
        status = command_requests.hand_over(argv, args, timeout=1.5)
        waited = time.monotonic() - started
    finally:
        stop.set()
    assert status == 1 and 1.4 < waited < 10
    assert "did not take up `heatmap`" in capsys.readouterr().err
    assert not list(folder.glob("*.request.json"))  # it cannot run later by surprise


def test_no_hand_over_without_a_recent_heartbeat(demo_db_copy):
    folder = command_requests.requests_folder(demo_db_copy)
    folder.mkdir()
    beat = folder / command_requests.HEARTBEAT
    beat.touch()
    old = time.time() - command_requests.STALE_SECONDS - 5
    os.utime(beat, (old, old))  # a dashboard that stopped
    args = build_parser().parse_args(["--db", str(demo_db_copy), "heatmap"])
    assert not command_requests.should_hand_over(args)
    assert not command_requests.should_hand_over(build_parser().parse_args(["--db", str(demo_db_copy), "init"]))


def test_a_command_run_before_the_dashboard_opened_its_file_opens_it(demo_db_copy):
    """The dashboard opens its connection lazily; the first handed-over command makes it do so, through
    db.connect itself, which must then open the file rather than ask for the dashboard's connection again."""
    from strategy import db

    opened = []

    def dashboard_connection():
        if not opened:
            opened.append(db.connect(demo_db_copy))
        return opened[0]

    try:
        with db.served_by(dashboard_connection, demo_db_copy):
            with db.connect(demo_db_copy, read_only=True) as cursor:
                counted = cursor.execute("SELECT count(*) FROM activities").fetchone()[0]
        assert counted == opened[0].execute("SELECT count(*) FROM activities").fetchone()[0] > 0
    finally:
        for con in opened:
            con.close()

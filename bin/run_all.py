#!/usr/bin/env python3
"""Run every process of a Procfile in the foreground and stop them all in order (what `make run` uses).

    python bin/run_all.py [-f Procfile]

Each line `name: command` runs as `/bin/sh -c "exec command"` in a session of its own, with its
output prefixed by its name. On Ctrl-C (SIGINT), SIGTERM or SIGHUP every process gets one SIGTERM,
sent to the process itself and not to its process group: gunicorn then stops its workers, and a
Celery worker does a warm shutdown (it finishes the tasks it is running, then stops its own pool).
Signaling the whole group, as honcho does, hands the pool children a SIGTERM of their own
and the worker reports them as killed. After RUN_GRACE_SECONDS (default 30) or a second Ctrl-C,
whatever is still running is killed (SIGKILL to each process group), with a message.

If an essential process (RUN_ESSENTIAL, default `web`: without it there is no site) exits on its
own, the others are stopped the same way and the exit status is 1. Any other process (the Celery
worker, beat) that exits on its own is started again, with a loud line saying so, after a backoff:
1 s, doubling up to 30 s while it keeps dying, back to 1 s once it stayed up RESTART_STABLE_SECONDS.
Whatever it left behind in its process group gets a SIGTERM, and is waited for (or killed) at the stop.
So a crashed worker costs the site a second of queued tasks, not the web server.
A stop that was asked for and that every process obeyed in time exits with status 0.

Commands containing shell operators (`;`, `&`, `|`, `(`...) or starting with `VAR=value` cannot be
prefixed with `exec`; for those the shell stays in between and the SIGTERM goes to the whole group.

Standard library only, so it runs before (and without) Django.
"""

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
NEEDS_SHELL = re.compile(r"[;&|()`\n]|^\s*[A-Za-z_][A-Za-z0-9_]*=")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
POLL_SECONDS = 0.1
REAP_SECONDS = 5.0
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 30.0
RESTART_STABLE_SECONDS = 60.0
ME = "run-all"


@dataclass
class Proc:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    returncode: int | None = None
    reported: bool = False
    group_signalled: bool = False
    reader: threading.Thread | None = field(default=None, repr=False)
    essential: bool = True
    started_at: float = 0.0
    restart_at: float | None = None
    backoff: float = 0.0
    restarts: int = 0
    # Process groups of earlier runs whose leftovers (a crashed worker's pool) may still be stopping.
    old_groups: list[int] = field(default_factory=list)
    old_readers: list[threading.Thread] = field(default_factory=list, repr=False)

    @property
    def exec_form(self) -> bool:
        return not NEEDS_SHELL.search(self.command)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        if self.returncode is None and self.popen is not None:
            self.returncode = self.popen.poll()
        return self.popen is not None and self.returncode is None

    def group_alive(self) -> bool:
        """Whether anything (the process, or children it left behind) is still in its group."""
        return group_exists(self.pid)

    def anything_alive(self) -> bool:
        """The process, its group, or the group of an earlier run of it."""
        self.old_groups = [pgid for pgid in self.old_groups if group_exists(pgid)]
        return self.running() or self.group_alive() or bool(self.old_groups)


def group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def procfile_read(path: Path) -> list[Proc]:
    procs = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PROCFILE_LINE.match(line)
        if not match:
            raise SystemExit(f"{path}:{number}: not a `name: command` line: {line!r}")
        name, command = match.groups()
        if any(proc.name == name for proc in procs):
            raise SystemExit(f"{path}:{number}: process name {name!r} used twice")
        procs.append(Proc(name=name, command=command.strip()))
    if not procs:
        raise SystemExit(f"{path}: no processes")
    return procs


def send(pid: int, signum: int, *, group: bool) -> None:
    """Signal a process, or with group=True its whole process group; gone already is fine."""
    with contextlib.suppress(ProcessLookupError):
        (os.killpg if group else os.kill)(pid, signum)


def describe_returncode(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"rc={returncode}"


class Supervisor:
    def __init__(self, procs: list[Proc], grace: float, out=None, essential: frozenset[str] = frozenset({"web"})):
        self.procs = procs
        for proc in procs:
            proc.essential = proc.name in essential
        self.grace = grace
        self.out = out or sys.stdout.buffer
        self.width = max(len(ME), *(len(proc.name) for proc in procs))
        self.lock = threading.Lock()
        self.signals: list[int] = []
        self.stop_reason: str | None = None
        self.failures: list[str] = []
        self.killed = False
        self.deadline = 0.0
        self.kill_deadline = 0.0

    # --- output -----------------------------------------------------------------------------

    def write(self, name: str, line: bytes) -> None:
        if not line.endswith(b"\n"):
            line += b"\n"
        with self.lock:
            try:
                self.out.write(f"{name:<{self.width}} | ".encode() + line)
                self.out.flush()
            except (OSError, ValueError):  # the terminal is gone: keep supervising regardless
                pass

    def say(self, message: str) -> None:
        self.write(ME, message.encode())

    def forward(self, proc: Proc) -> None:
        for line in iter(proc.popen.stdout.readline, b""):
            self.write(proc.name, line)
        proc.popen.stdout.close()

    # --- life cycle -------------------------------------------------------------------------

    def on_signal(self, signum, frame) -> None:
        self.signals.append(signum)

    def start(self, proc: Proc) -> None:
        command = f"exec {proc.command}" if proc.exec_form else proc.command
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # A session of its own: the terminal's Ctrl-C reaches only this supervisor, which then
        # decides who gets what. The command is the project's own Procfile line.
        proc.popen = subprocess.Popen(  # noqa: S603
            ["/bin/sh", "-c", command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        proc.reader = threading.Thread(target=self.forward, args=(proc,), name=proc.name, daemon=True)
        proc.reader.start()
        proc.started_at = time.monotonic()
        self.say(f"{proc.name} started (pid {proc.pid}): {proc.command}")

    def schedule_restart(self, proc: Proc, outcome: str) -> None:
        now = time.monotonic()
        if now - proc.started_at >= RESTART_STABLE_SECONDS:
            proc.backoff = 0.0  # it had been fine for a while: this is a new incident
        proc.backoff = min(RESTART_MAX_SECONDS, proc.backoff * 2 if proc.backoff else RESTART_FIRST_SECONDS)
        proc.restart_at = now + proc.backoff
        proc.restarts += 1
        # Loud on purpose: the site stays up, so this line is the only sign that something crashed.
        self.say(f"WARNING: {proc.name} exited ({outcome}); restarting in {proc.backoff:g} s")

    def restart_due(self) -> None:
        now = time.monotonic()
        for proc in self.procs:
            if proc.restart_at is None or now < proc.restart_at:
                continue
            proc.restart_at = None
            if group_exists(proc.pid):
                proc.old_groups.append(proc.pid)
            proc.old_readers.append(proc.reader)
            proc.returncode, proc.reported, proc.group_signalled = None, False, False
            self.start(proc)

    def begin_stop(self, reason: str) -> None:
        self.stop_reason = reason
        self.deadline = time.monotonic() + self.grace
        running = [proc for proc in self.procs if proc.running()]
        if running:
            names = ", ".join(f"{proc.name} (pid {proc.pid})" for proc in running)
            self.say(f"{reason}: sending SIGTERM to {names}; waiting up to {self.grace:g} s")
        for proc in running:
            send(proc.pid, signal.SIGTERM, group=not proc.exec_form)
            proc.group_signalled = not proc.exec_form

    def kill_all(self, why: str) -> None:
        self.killed = True
        self.kill_deadline = time.monotonic() + REAP_SECONDS
        for proc in self.procs:
            if proc.popen is not None and (proc.running() or proc.group_alive()):
                self.failures.append(f"{proc.name} killed")
                self.say(f"{why}: sending SIGKILL to {proc.name} (process group {proc.pid})")
                send(proc.pid, signal.SIGKILL, group=True)
            for pgid in proc.old_groups:
                if group_exists(pgid):
                    self.say(f"{why}: sending SIGKILL to what an earlier {proc.name} left (process group {pgid})")
                    send(pgid, signal.SIGKILL, group=True)

    def note_exits(self) -> None:
        for proc in self.procs:
            if proc.popen is None or proc.reported or proc.running():
                continue
            proc.reported = True
            outcome = describe_returncode(proc.returncode)
            if self.stop_reason is None and not proc.essential:
                self.schedule_restart(proc, outcome)
            elif self.stop_reason is None:
                self.failures.append(f"{proc.name} exited on its own ({outcome})")
                self.say(self.failures[-1])
                self.begin_stop(f"{proc.name} exited")
            else:
                if proc.returncode not in (0, -signal.SIGTERM, 128 + signal.SIGTERM):
                    self.failures.append(f"{proc.name} stopped with {outcome}")
                self.say(f"{proc.name} stopped ({outcome})")
            if proc.group_alive() and not proc.group_signalled:
                # Its children outlived it (it crashed, or a shell did not pass the signal on).
                proc.group_signalled = True
                self.say(f"{proc.name} left processes behind: sending SIGTERM to its process group")
                send(proc.pid, signal.SIGTERM, group=True)

    def run(self) -> int:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.on_signal)
        for proc in self.procs:
            if self.signals:
                break
            self.start(proc)
        seen_signals = 0
        while True:
            if len(self.signals) > seen_signals:
                name = signal.Signals(self.signals[-1]).name
                if self.stop_reason is None:
                    self.begin_stop(f"{name} received")
                elif not self.killed:
                    self.kill_all(f"second {name} received")
                seen_signals = len(self.signals)
            self.note_exits()
            if self.stop_reason is None:
                self.restart_due()
            else:
                started = [proc for proc in self.procs if proc.popen is not None]
                if not any(proc.anything_alive() for proc in started):
                    break
                if not self.killed and time.monotonic() > self.deadline:
                    self.kill_all(f"still running after {self.grace:g} s")
                # After SIGKILL, give the kernel a moment; zombies nobody reaps would still count
                # as group members, so do not wait for them forever.
                if self.killed and time.monotonic() > self.kill_deadline:
                    break
            time.sleep(POLL_SECONDS)
        for proc in self.procs:
            for reader in (*proc.old_readers, proc.reader):
                if reader is not None:
                    reader.join(timeout=2)
        if self.failures:
            self.say(f"stopped: {'; '.join(self.failures)}")
            return 1
        restarted = ", ".join(f"{proc.name} {proc.restarts}x" for proc in self.procs if proc.restarts)
        self.say("all processes stopped" + (f" (restarted after a crash: {restarted})" if restarted else ""))
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--procfile", default="Procfile", type=Path, help="default: ./Procfile")
    args = parser.parse_args(argv)
    grace = float(os.environ.get("RUN_GRACE_SECONDS", "30"))
    essential = frozenset(name.strip() for name in os.environ.get("RUN_ESSENTIAL", "web").split(",") if name.strip())
    return Supervisor(procfile_read(args.procfile), grace=grace, essential=essential).run()


if __name__ == "__main__":
    sys.exit(main())

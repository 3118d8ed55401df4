"""`make run`'s supervisor (bin/run_all.py) stops its processes in order, and leaves none behind;
a worker or beat that dies is started again, while the web server dying stops everything.

Real processes throughout. The stand-in service behaves like a Celery prefork worker: a main process
with a child that it stops itself on SIGTERM, and that reports an ERROR when something else
signaled its child directly (what honcho's SIGTERM to the whole process group did)."""

import contextlib
import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_ALL = ROOT / "bin" / "run_all.py"

SERVICE = """
import signal, subprocess, sys, time

mode = sys.argv[1]
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("ready", flush=True)
    while True:
        time.sleep(1)
child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
stopping = []
signal.signal(signal.SIGTERM, lambda *args: stopping.append(True))
print(f"ready child={child.pid}", flush=True)
while not stopping:
    time.sleep(0.05)
print("warm shutdown", flush=True)
child.stdin.close()
if child.wait() < 0:
    print(f"ERROR child exited with signal {-child.returncode}", flush=True)
    sys.exit(1)
print("stopped cleanly", flush=True)
"""


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie (on Linux; elsewhere, one that exists)."""
    if Path("/proc/self/stat").exists():
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Run:
    """bin/run_all.py in a session of its own, as a terminal's foreground job would be."""

    def __init__(self, procfile: Path, env: dict):
        self.popen = subprocess.Popen(
            [sys.executable, str(RUN_ALL), "-f", str(procfile)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in iter(self.popen.stdout.readline, b""):
            self.lines.append(line.decode(errors="replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> list[re.Match]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matches = [m for line in list(self.lines) if (m := re.search(pattern, line))]
            if len(matches) >= count:
                return matches
            if self.popen.poll() is not None:
                break
            time.sleep(0.05)
        pytest.fail(f"no {count}x {pattern!r} in the output:\n{self.output}")

    def ctrl_c(self) -> None:
        """What a terminal's Ctrl-C does: SIGINT to the foreground process group."""
        os.killpg(self.popen.pid, signal.SIGINT)

    def wait(self, timeout: float = 60) -> int:
        returncode = self.popen.wait(timeout=timeout)
        self.reader.join(timeout=5)
        return returncode

    def pids(self) -> list[int]:
        """Every process it reported: the Procfile's processes and the stand-ins' children."""
        return [int(pid) for pid in re.findall(r"(?:started \(pid |child=)(\d+)", self.output)]


@pytest.fixture
def run_all(tmp_path):
    runs: list[Run] = []

    def start(procfile_text: str, **env) -> Run:
        procfile = tmp_path / "Procfile"
        procfile.write_text(procfile_text)
        run = Run(procfile, {**os.environ, **env})
        runs.append(run)
        return run

    yield start
    # Whatever a failed test left running: only the groups these runs started.
    for run in runs:
        groups = [run.popen.pid, *(int(pid) for pid in re.findall(r"started \(pid (\d+)", run.output))]
        for pgid in groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        run.popen.wait(timeout=10)


@pytest.fixture
def service(tmp_path) -> str:
    path = tmp_path / "service.py"
    path.write_text(SERVICE)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(path))}"


def wait_gone(pids: list[int], timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_ctrl_c_stops_each_process_through_its_main_process(run_all, service):
    run = run_all(f"alpha: {service} pool\nbeta: {service} pool\n")
    run.wait_for(r"\| ready child=", count=2)
    pids = run.pids()
    assert len(pids) == 4

    run.ctrl_c()

    assert run.wait() == 0, run.output
    assert "SIGINT received: sending SIGTERM to alpha" in run.output
    assert len(re.findall(r"^(alpha|beta) +\| stopped cleanly$", run.output, re.MULTILINE)) == 2
    assert "alpha stopped (rc=0)" in run.output
    assert "beta stopped (rc=0)" in run.output
    assert run.lines[-1] == "run-all | all processes stopped"
    assert "ERROR" not in run.output
    assert "SIGKILL" not in run.output
    assert wait_gone(pids) == []


def test_the_web_server_dying_on_its_own_stops_the_others(run_all, service):
    run = run_all(f"web: {service} pool\nbeta: {service} pool\n")
    run.wait_for(r"\| ready child=", count=2)
    pids = run.pids()
    web = int(run.wait_for(r"web started \(pid (\d+)\)")[0][1])

    os.kill(web, signal.SIGKILL)

    assert run.wait() == 1, run.output
    assert "web exited on its own (signal SIGKILL)" in run.output
    assert "web left processes behind: sending SIGTERM to its process group" in run.output
    assert "beta stopped (rc=0)" in run.output
    assert "restarting" not in run.output
    assert run.lines[-1] == "run-all | stopped: web exited on its own (signal SIGKILL)"
    assert wait_gone(pids) == []


def test_the_web_server_exiting_with_an_error_stops_the_others(run_all, service):
    # A compound command: the shell stays in between, and the supervisor signals its whole group.
    crash = f"{shlex.quote(sys.executable)} -c 'import time; time.sleep(1); exit(3)'"
    run = run_all(f"alpha: {service} pool\nweb: {crash}\n")
    run.wait_for(r"alpha +\| ready child=")
    pids = run.pids()

    assert run.wait() == 1, run.output
    assert "web exited on its own (rc=3)" in run.output
    assert "alpha stopped (rc=0)" in run.output
    assert wait_gone(pids) == []


def test_which_processes_are_essential_is_set_by_run_essential(run_all, service):
    crash = f"{shlex.quote(sys.executable)} -c 'import time; time.sleep(1); exit(3)'"
    run = run_all(f"web: {service} pool\ncrash: {crash}\n", RUN_ESSENTIAL="web,crash")

    assert run.wait() == 1, run.output
    assert "crash exited on its own (rc=3)" in run.output
    assert "web stopped (rc=0)" in run.output
    assert "restarting" not in run.output


def test_a_worker_dying_on_its_own_is_restarted_and_the_web_server_keeps_running(run_all, service):
    run = run_all(f"web: {service} pool\nworker: {service} pool\n")
    run.wait_for(r"\| ready child=", count=2)
    web = int(run.wait_for(r"web started \(pid (\d+)\)")[0][1])
    worker = int(run.wait_for(r"worker started \(pid (\d+)\)")[0][1])
    first_child = int(run.wait_for(r"worker +\| ready child=(\d+)")[0][1])

    os.kill(worker, signal.SIGKILL)

    run.wait_for(r"WARNING: worker exited \(signal SIGKILL\); restarting in 1 s")
    restarted = run.wait_for(r"worker started \(pid (\d+)\)", count=2)
    assert int(restarted[1][1]) != worker
    run.wait_for(r"worker +\| ready child=", count=2)
    # The crashed worker's pool child was told to go; the web server never noticed.
    assert "worker left processes behind: sending SIGTERM to its process group" in run.output
    assert wait_gone([first_child]) == []
    assert alive(web) and run.popen.poll() is None
    assert "web stopped" not in run.output

    pids = run.pids()
    run.ctrl_c()

    assert run.wait() == 0, run.output
    assert "worker stopped (rc=0)" in run.output and "web stopped (rc=0)" in run.output
    assert run.lines[-1] == "run-all | all processes stopped (restarted after a crash: worker 1x)"
    assert wait_gone(pids) == []


def test_a_process_that_keeps_crashing_is_restarted_with_a_growing_backoff(run_all, service):
    crash = f"{shlex.quote(sys.executable)} -c 'exit(3)'"
    run = run_all(f"web: {service} pool\nbeat: {crash}\n")

    delays = [float(m[1]) for m in run.wait_for(r"WARNING: beat exited \(rc=3\); restarting in (\S+) s", count=4,
                                                 timeout=30)]
    assert delays[:4] == [1, 2, 4, 8]
    starts = run.wait_for(r"beat started", count=4)
    assert len(starts) >= 4
    assert run.popen.poll() is None  # the site is still up

    pids = run.pids()
    run.ctrl_c()
    assert run.wait() == 0, run.output
    assert wait_gone(pids) == []


def test_the_backoff_is_capped_and_starts_over_after_a_stable_run(tmp_path):
    """The policy itself, without waiting half a minute: doubling up to 30 s, 1 s again after a
    run that lasted RESTART_STABLE_SECONDS."""
    spec = importlib.util.spec_from_file_location("run_all", RUN_ALL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = open(tmp_path / "out", "wb")  # noqa: SIM115 - closed below
    supervisor = module.Supervisor([module.Proc(name="worker", command="true")], grace=1, out=out)
    proc = supervisor.procs[0]
    assert not proc.essential

    delays = []
    for _ in range(8):
        proc.started_at = time.monotonic()
        supervisor.schedule_restart(proc, "rc=1")
        delays.append(proc.backoff)
    proc.started_at = time.monotonic() - module.RESTART_STABLE_SECONDS - 1
    supervisor.schedule_restart(proc, "rc=1")
    delays.append(proc.backoff)
    out.close()

    assert delays == [1, 2, 4, 8, 16, 30, 30, 30, 1]
    assert "WARNING: worker exited (rc=1); restarting in 30 s" in (tmp_path / "out").read_text()


def test_a_process_ignoring_sigterm_is_killed_after_the_grace_period(run_all, service):
    run = run_all(f"alpha: {service} pool\nstubborn: {service} stubborn\n", RUN_GRACE_SECONDS="1")
    run.wait_for(r"\| ready", count=2)
    pids = run.pids()

    run.ctrl_c()

    assert run.wait() == 1, run.output
    assert "alpha stopped (rc=0)" in run.output
    assert "still running after 1 s: sending SIGKILL to stubborn" in run.output
    assert "stubborn stopped (signal SIGKILL)" in run.output
    assert wait_gone(pids) == []


def test_a_second_ctrl_c_kills_at_once(run_all, service):
    run = run_all(f"stubborn: {service} stubborn\n", RUN_GRACE_SECONDS="60")
    run.wait_for(r"stubborn +\| ready")
    pids = run.pids()

    run.ctrl_c()
    run.wait_for("SIGINT received")
    run.ctrl_c()

    assert run.wait(timeout=15) == 1, run.output
    assert "second SIGINT received: sending SIGKILL to stubborn" in run.output
    assert wait_gone(pids) == []


def test_the_real_procfile_signals_gunicorn_and_celery_themselves():
    """No shell stays between the supervisor and the server: `exec` applies to every line."""
    spec = importlib.util.spec_from_file_location("run_all", RUN_ALL)
    run_all = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_all)

    procs = run_all.procfile_read(ROOT / "Procfile")

    assert [proc.name for proc in procs] == ["web", "worker", "worker-house", "worker-senate", "beat"]
    assert all(proc.exec_form for proc in procs)


@pytest.mark.worker
def test_ctrl_c_gives_the_real_celery_worker_a_warm_shutdown(run_all, tmp_path):
    worker_line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    run = run_all(
        worker_line + "\n",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        # Its own queue (and, on the filesystem broker, its own folder): it takes no one's tasks.
        CELERY_QUEUE=f"run-all-test-{uuid.uuid4().hex[:8]}",
        CELERY_BROKER_FOLDER=str(tmp_path / "broker"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    run.wait_for(r"celery@\S+ ready\.")
    pool = [
        int(pid)
        for pid in subprocess.run(
            ["pgrep", "-g", run.wait_for(r"worker started \(pid (\d+)\)")[0][1]],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
    ]
    assert len(pool) >= 3  # the main process and its two pool children

    run.ctrl_c()

    assert run.wait(timeout=60) == 0, run.output
    assert "Warm shutdown" in run.output
    assert "worker stopped (rc=0)" in run.output
    assert "ERROR" not in run.output
    assert "exited with 'signal" not in run.output
    assert wait_gone(pool) == []

"""Running a command under a deadline, and stopping it with every process it started.

A command runs as the leader of a new session. When it passes its deadline (or when it ends and
left helpers behind), every process of that session, and every descendant that left it, is
killed: nothing a stage started outlives the stage."""
import os
import signal
import subprocess
import sys
import threading
import time


def _stat(pid):
    """(ppid, session) of a live process; None when it is gone or a zombie (already dead)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()  # after "pid (comm) ": state ppid pgrp session ...
    return None if fields[0] == "Z" else (int(fields[1]), int(fields[3]))


def _processes():
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            info = _stat(int(name))
            if info:
                table[int(name)] = info
    return table


def tree_of(leader):
    """The processes of the leader's session and all their descendants (also those that called
    setsid), the leader included when it still exists."""
    table = _processes()
    members = {pid for pid, (_, session) in table.items() if session == leader}
    if leader in table:
        members.add(leader)
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in table.items():
            if ppid in members and pid not in members:
                members.add(pid)
                grew = True
    members.discard(os.getpid())
    return members


def kill_tree(leader):
    """SIGKILLs the leader's whole tree until nothing of it is left (at most a few rounds)."""
    for _ in range(50):
        members = tree_of(leader)
        if not members:
            return
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)


class Result:
    def __init__(self, code, output, stopped, seconds):
        self.code, self.output, self.stopped, self.seconds = code, output, stopped, seconds


def run(cmd, deadline, cwd=None, env=None, on_line=None, heartbeat=None, every=10.0):
    """Runs cmd until it ends or time.monotonic() reaches deadline; output is stdout+stderr.
    on_line(line) sees each line as it comes; heartbeat(elapsed) is called every `every` s."""
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as e:
        return Result(127, f"cannot run {cmd[0]}: {e.strerror}\n", False, 0.0)
    lines = []

    def read():
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace")
            lines.append(line)
            if on_line:
                on_line(line)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    stopped = False
    next_beat = start + every
    try:
        while proc.poll() is None:
            now = time.monotonic()
            if now >= deadline:
                stopped = True
                break
            if heartbeat and now >= next_beat:
                heartbeat(now - start)
                next_beat = now + every
            time.sleep(min(0.1, max(0.0, deadline - now)))
    finally:
        kill_tree(proc.pid)  # the command's own stragglers too, when it ended by itself
        proc.wait()
        reader.join(timeout=2)
    return Result(None if stopped else proc.returncode, "".join(lines), stopped, time.monotonic() - start)


def on_terminal():
    return sys.stdout.isatty()

"""Run a file parser in a child process with a time limit and a memory limit.

Parsers (pypdf, python-docx) run on files an officer uploaded. A hostile file (a PDF bomb, a
huge page tree, a zip bomb, a malformed document) can make them run for minutes or eat
gigabytes. Run in a fresh interpreter with RLIMIT_AS and RLIMIT_CPU set and a wall-clock
timeout, a bad file costs at most those limits and never the web request's or the worker's
own process.

``run("package.module:function", data, *args)`` feeds ``data`` on stdin; the child calls
``function(io.BytesIO(data), *args)`` and prints its JSON-able result. The child imports no
Django, so the target must be a plain module (papers.filechecks, papers.search.extraction).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MEMORY_ERROR_EXIT = 75


class SandboxError(Exception):
    """The parser did not finish: ``kind`` is "timeout", "memory" or "crash"."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def child_environment():
    """Only what Python needs: a parser never sees SECRET_KEY, DATABASE_URL or the like."""
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env


def run(target, data, *args, timeout=10, memory_mb=512):
    command = [sys.executable, "-m", "papers.sandbox", target, str(memory_mb), str(timeout)]
    command.append(json.dumps(list(args)))
    try:
        completed = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=timeout,
            cwd=PROJECT_ROOT,
            env=child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired as error:  # subprocess.run has killed the child
        raise SandboxError("timeout", f"{timeout}s") from error
    if completed.returncode == MEMORY_ERROR_EXIT:
        raise SandboxError("memory", f"{memory_mb} MB")
    if completed.returncode != 0:
        # -9 is RLIMIT_CPU's SIGKILL; other signals or tracebacks are a crashed parser.
        kind = "timeout" if completed.returncode in (-9, -24) else "crash"
        detail = completed.stderr.decode("utf-8", "replace")[-500:]
        raise SandboxError(kind, f"exit {completed.returncode}: {detail}")
    return json.loads(completed.stdout)


def _child(argv):
    # Imported here: these run only in the child process that parses one upload.
    import importlib
    import io
    import resource

    target, memory_mb, timeout, args = argv
    limit = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(float(timeout)) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    data = sys.stdin.buffer.read()
    try:
        result = function(io.BytesIO(data), *json.loads(args))
    except MemoryError:
        os._exit(MEMORY_ERROR_EXIT)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    _child(sys.argv[1:])

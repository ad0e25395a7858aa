"""Where the Mario AI Framework lives on this machine, and our runner compiled against it.

The framework (engine + Robin Baumgarten's A* agent) ships compiled in the MIT
wheel ``mario-gpt==0.1.3`` as ``mario_gpt/simulator/PlayAstar.jar``. That
package's top-level import pulls torch and transformers, so it is located with
``importlib.util.find_spec`` (which reads no code) and never imported.
``$GAMEGEN_MAF_JAR`` overrides the location.

Our Java sources (``MafJudge.java``, ``MafProbe.java``, package data) are
compiled once per (sources, jar) pair into ``$XDG_CACHE_HOME/gamegen/maf/<sha>/``;
the key is the sha256 of the sources and the jar, so an upgrade recompiles and
two versions never share classes. Compilation goes to a temporary folder that
is renamed into place, so a crash or a concurrent compile never leaves a half
folder that later runs would trust.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gamegen.errors import JudgeUnavailable

__all__ = ["MafRuntime", "find_jar", "find_java", "runtime", "JAR_ENV", "INSTALL_JAR", "INSTALL_JAVA"]

JAR_ENV = "GAMEGEN_MAF_JAR"
INSTALL_JAR = "pip install --no-deps mario-gpt==0.1.3"
INSTALL_JAVA = "apt-get install openjdk-17-jdk-headless"
SOURCES = ("MafJudge.java", "MafProbe.java")


@dataclass(frozen=True)
class MafRuntime:
    """Everything a run needs: ``java`` and the class path (jar + our compiled classes)."""

    java: str
    jar: Path
    classes: Path

    @property
    def classpath(self) -> str:
        return os.pathsep.join((str(self.classes), str(self.jar)))

    def command(self, main: str, *args: str) -> list[str]:
        # Serial GC: no GC threads competing with the other worker's agent on a 2-core machine.
        return [self.java, "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-cp", self.classpath, main, *args]


def find_jar() -> Path:
    """The MAF jar: ``$GAMEGEN_MAF_JAR``, else the installed mario-gpt's ``simulator/PlayAstar.jar``."""
    override = os.environ.get(JAR_ENV)
    if override:
        path = Path(override)
        if not path.is_file():
            raise JudgeUnavailable(f"${JAR_ENV} names {path}, which is not a file; point it at PlayAstar.jar or unset it and run: {INSTALL_JAR}")
        return path
    spec = importlib.util.find_spec("mario_gpt")  # finds the folder without running mario_gpt/__init__.py (torch)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "simulator" / "PlayAstar.jar"
        if path.is_file():
            return path
    raise JudgeUnavailable(f"the Mario AI Framework jar is missing; install it with: {INSTALL_JAR} (or set ${JAR_ENV})")


def find_java() -> tuple[str, str]:
    """Paths of ``java`` and ``javac`` (both from the JDK, release 17 or later)."""
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java or not javac:
        missing = "java and javac" if not java and not javac else ("java" if not java else "javac")
        raise JudgeUnavailable(f"{missing} not found on PATH; install a JDK with: {INSTALL_JAVA}")
    return java, javac


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gamegen" / "maf"


def _source_texts() -> dict[str, bytes]:
    folder = resources.files("gamegen.maf")
    return {name: (folder / name).read_bytes() for name in SOURCES}


def _key(sources: dict[str, bytes], jar: Path) -> str:
    digest = hashlib.sha256()
    for name, text in sorted(sources.items()):
        digest.update(name.encode() + b"\0" + text + b"\0")
    digest.update(jar.read_bytes())
    return digest.hexdigest()[:32]


def _compile(javac: str, jar: Path, sources: dict[str, bytes], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        for name, text in sources.items():
            (work / name).write_bytes(text)
        command = [javac, "-nowarn", "-encoding", "UTF-8", "-cp", str(jar), "-d", str(work / "classes"), *(str(work / n) for n in sources)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            first = (done.stderr.strip().splitlines() or ["no output"])[0]
            raise JudgeUnavailable(f"javac could not compile the MAF runner against {jar}: {first}; reinstall with: {INSTALL_JAR}")
        try:
            os.replace(work / "classes", target)  # atomic: a reader sees no folder or a whole one
        except OSError:
            if not target.is_dir():  # a concurrent compile that won the race is as good as ours
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


@functools.cache
def _runtime(jar: Path, java: str, javac: str) -> MafRuntime:
    sources = _source_texts()
    classes = _cache_root() / _key(sources, jar)
    if not (classes / "MafJudge.class").is_file():
        _compile(javac, jar, sources, classes)
    return MafRuntime(java, jar, classes)


def runtime() -> MafRuntime:
    """The jar, java, and our runner compiled (once) against that jar; raises JudgeUnavailable naming the install."""
    jar = find_jar().resolve()
    java, javac = find_java()
    return _runtime(jar, java, javac)

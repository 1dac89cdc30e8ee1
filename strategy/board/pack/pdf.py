"""The PDF pack: the PowerPoint file converted by LibreOffice, in a process group of its own that is ended if it
overruns."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from strategy.board.pack.layout import BoardPackError


def libreoffice() -> str:
    """The LibreOffice program that converts PPTX to PDF, or BoardPackError saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise BoardPackError(
            "PDF board packs need LibreOffice Impress: run `bash scripts/install_system_packages.sh` "
            "as root, or `sudo apt-get install libreoffice-impress`. A .pptx pack works without it."
        )
    return found


PDF_SECONDS = float(os.environ.get("STRATEGY_LIBREOFFICE_SECONDS", 180))  # a 10-slide pack converts in ~15 s


def pdf_from_pptx(pptx: bytes, timeout: float | None = None) -> bytes:
    """The same pack as PDF, converted by LibreOffice with a private profile (safe to run alongside others).

    LibreOffice runs in its own process group, so a conversion that does not finish in time is ended with every
    process it started (ending only the first left its helpers holding the output pipes, and the wait never
    ended)."""
    program = libreoffice()
    seconds = PDF_SECONDS if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="board-pack-") as folder:
        source = Path(folder) / "board-pack.pptx"
        source.write_bytes(pptx)
        profile = Path(folder) / "profile"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "HOME": folder},
                start_new_session=True,
            )
        except OSError as problem:
            raise BoardPackError(
                f"LibreOffice ({program}) could not be started: {problem}. A .pptx pack works without it."
            ) from None
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _end_process_group(process)
            raise BoardPackError(
                f"LibreOffice did not finish converting the pack to PDF within {seconds:g} seconds, "
                "so it was stopped. Try again, or make a .pptx pack."
            ) from None
        if process.returncode != 0:
            said = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise BoardPackError(
                f"LibreOffice could not convert the pack to PDF (exit status {process.returncode}: "
                f"{said[0][:300]}). Try again, or make a .pptx pack."
            )
        target = source.with_suffix(".pdf")
        if not target.exists():
            raise BoardPackError("LibreOffice finished but wrote no PDF; try again, or make a .pptx pack.")
        return target.read_bytes()


def _end_process_group(process: subprocess.Popen) -> None:
    """Stop a process and everything it started (its own session), then collect it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        pass

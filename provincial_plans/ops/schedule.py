"""The yearly rebuild's schedule: a systemd user service and timer, or one crontab line, that run
`python -m provincial_plans regenerate` in the workflow's folder. Printed for a person to read; written only on request.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from provincial_plans.core.atomic import write_text
from provincial_plans.core.errors import PipelineError

UNIT = "provincial-plans-regenerate"
WHEN = re.compile(r"^(\d{2})-(\d{2}) (\d{2}):(\d{2})$")
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class When:
    """A day of the year and a time of day: the same moment for systemd's OnCalendar and cron."""

    month: int
    day: int
    hour: int
    minute: int


def parse_when(text: str) -> When:
    """MM-DD HH:MM; 29 February is refused, as it would rebuild once in four years."""
    match = WHEN.match(text)
    if match:
        month, day, hour, minute = (int(part) for part in match.groups())
        if 1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month - 1] and hour < 24 and minute < 60:
            return When(month, day, hour, minute)
    raise PipelineError(f"--time '{text}' is not a day and time of the year like '01-15 03:00' (MM-DD HH:MM)")


def _systemd_word(word: str) -> str:
    """One ExecStart argument: quoted where needed, with systemd's specifier (%) and variable ($) escapes."""
    word = word.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_./=:+-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def service_unit(command: list[str], workdir: Path) -> str:
    return (
        "[Unit]\n"
        "Description=provincial-plans: yearly rebuild and archive of the reports\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={str(workdir).replace('%', '%%')}\n"
        f"ExecStart={' '.join(_systemd_word(word) for word in command)}\n"
        "Nice=10\n"
    )


def timer_unit(when: When) -> str:
    return (
        "[Unit]\n"
        f"Description=provincial-plans: yearly rebuild on {when.month:02d}-{when.day:02d}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}:00\n"
        "Persistent=true\n"  # a machine that was off at the time runs the rebuild when it next starts
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def cron_line(command: list[str], workdir: Path, when: When) -> str:
    """A crontab line; cron ends the command at an unescaped %, so each is escaped."""
    shell = f"cd {shlex.quote(str(workdir))} && {shlex.join(command)}".replace("%", "\\%")
    return f"{when.minute} {when.hour} {when.day} {when.month} * {shell}"


def schedule_text(command: list[str], workdir: Path, when: When, unit_dir: Path) -> str:
    """Everything a person needs to install the schedule by hand."""
    return (
        f"# {unit_dir / f'{UNIT}.service'}\n{service_unit(command, workdir)}\n"
        f"# {unit_dir / f'{UNIT}.timer'}\n{timer_unit(when)}\n"
        f"# enable: systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer\n"
        "# (and `loginctl enable-linger` so that it runs while you are logged out)\n"
        "\n# or, without systemd, one crontab line (crontab -e):\n"
        f"{cron_line(command, workdir, when)}\n"
    )


def install(command: list[str], workdir: Path, when: When, unit_dir: Path) -> list[Path]:
    """Write the service and timer into the systemd user unit folder; enabling them stays the user's step."""
    service, timer = unit_dir / f"{UNIT}.service", unit_dir / f"{UNIT}.timer"
    write_text(service, service_unit(command, workdir))
    write_text(timer, timer_unit(when))
    return [service, timer]

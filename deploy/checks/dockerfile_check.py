"""Static checks of deploy/Dockerfile (this machine has no Docker engine and no hadolint).

    python deploy/checks/dockerfile_check.py [path/to/Dockerfile]

Exits 1 and lists the violations when a rule fails. `check_dockerfile(text)` returns
the violations as strings, so tests can feed it any Dockerfile text.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, RUN, ...
    args: str  # the rest of the (joined) line
    line: int  # where it starts, for messages


@dataclass
class Stage:
    base: str
    name: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)


def parse(text: str) -> list[Instruction]:
    """Split a Dockerfile into instructions: joins continued lines, drops comments.

    Enough for the checks below; it does not evaluate heredocs or escape directives.
    """
    instructions: list[Instruction] = []
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):  # comment lines inside a continuation
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        keyword, _, args = buffer.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        buffer = ""
    if buffer:
        keyword, _, args = buffer.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
    return instructions


def stages(instructions: list[Instruction]) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults (before the first FROM) and the build stages in order."""
    global_args: dict[str, str] = {}
    result: list[Stage] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            words = [w for w in ins.args.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append(Stage(base=words[0] if words else "", name=name, line=ins.line))
        elif result:
            result[-1].instructions.append(ins)
        elif ins.keyword == "ARG":
            key, _, value = ins.args.partition("=")
            global_args[key.strip()] = value.strip().strip("\"'")
    return global_args, result


def _expand(value: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), value)


def _tag_problem(base: str) -> str | None:
    """Why a base image reference is not pinned, or None when it is."""
    if "@sha256:" in base:
        return None  # a digest pins the exact bytes
    if "$" in base:
        return f"base image {base!r} uses an ARG without a default"
    last = base.rsplit("/", 1)[-1]  # a registry host may carry a port: host:5000/img
    if ":" not in last:
        return f"base image {base!r} has no tag (means latest)"
    tag = last.rsplit(":", 1)[1]
    if tag == "latest":
        return f"base image {base!r} uses the tag latest"
    if not re.search(r"\d+\.\d+\.\d+", tag):
        return f"base image {base!r} tag {tag!r} is not an exact version (x.y.z)"
    return None


def _env(stage: Stage) -> dict[str, str]:
    """ENV values set in a stage (both `ENV K=V ...` and the old `ENV K V` form)."""
    env: dict[str, str] = {}
    for ins in stage.instructions:
        if ins.keyword != "ENV":
            continue
        if "=" not in ins.args.split()[0]:
            key, _, value = ins.args.partition(" ")
            env[key] = value.strip()
            continue
        for word in shlex.split(ins.args):
            key, _, value = word.partition("=")
            env[key] = value
    return env


def _is_exec_form(args: str) -> bool:
    try:
        return isinstance(json.loads(args), list)
    except ValueError:
        return False


def check_dockerfile(text: str) -> list[str]:
    """All rule violations in a Dockerfile's text; empty means it passes."""
    global_args, built = stages(parse(text))
    if not built:
        return ["no FROM instruction"]
    problems: list[str] = []
    if len(built) < 2:
        problems.append("not multi-stage: build tools would ship in the runtime image")

    stage_names = {s.name for s in built if s.name}
    for stage in built:
        if stage.base in stage_names or stage.base == "scratch":
            continue  # builds on an earlier stage, pinned there
        problem = _tag_problem(_expand(stage.base, global_args))
        if problem:
            problems.append(f"line {stage.line}: {problem}")

    for stage in built:
        for ins in stage.instructions:
            if ins.keyword == "ADD" and re.search(r"(https?|ftp)://|git@", ins.args):
                problems.append(
                    f"line {ins.line}: ADD of a URL (unverified download); use a checked "
                    "RUN step or COPY"
                )

    final = built[-1]
    users = [ins for ins in final.instructions if ins.keyword == "USER"]
    if not users:
        problems.append("final stage has no USER: it would run as root")
    else:
        user = users[-1].args.split(":")[0]
        if user in ("root", "0"):
            problems.append(f"line {users[-1].line}: final USER is root")
        elif not user.isdigit():
            problems.append(
                f"line {users[-1].line}: USER {user!r} is not numeric; Kubernetes "
                "runAsNonRoot can only verify a numeric user"
            )

    def generates(stage: Stage) -> bool:
        return any(i.keyword == "RUN" and "grpc_tools.protoc" in i.args for i in stage.instructions)

    if generates(final):
        problems.append("protobuf code is generated in the final stage; do it in a build stage")
    if not any(generates(s) for s in built[:-1]):
        problems.append("no build stage runs grpc_tools.protoc to generate the protobuf code")

    env = _env(final)
    if env.get("PYTHONDONTWRITEBYTECODE") != "1":
        problems.append("final stage does not set PYTHONDONTWRITEBYTECODE=1")
    if "gen" not in env.get("PYTHONPATH", ""):
        problems.append("final stage PYTHONPATH does not include the generated code (gen)")

    for ins in final.instructions:
        if ins.keyword in ("CMD", "ENTRYPOINT") and not _is_exec_form(ins.args):
            problems.append(
                f"line {ins.line}: {ins.keyword} in shell form; use exec form "
                '(["..."]) so signals reach the process'
            )
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_DOCKERFILE
    problems = check_dockerfile(path.read_text())
    for problem in problems:
        print(f"FAIL {path}: {problem}")
    if not problems:
        print(
            f"PASS {path}: multi-stage, pinned base, numeric non-root user, no ADD URL, "
            "protoc in a build stage"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Checks the package's layering rules; run by `make test` (from any directory).

1. No two targets declare a top-level type of the same name (one name per concept, so no file ever
   needs `import struct Module.Type` to pick one).
2. Every module a target imports is declared as its dependency in Package.swift (a target or a
   product), or is a system module.
3. No file imports a single declaration (`import struct X.Y`) from one of the package's own modules:
   such an import only exists to disambiguate a clash.

The targets and their dependencies come from `swift package dump-package`, so the check reads the
manifest exactly as SwiftPM does. Exit status 1 with one line per problem, 0 when all hold.
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Modules of the toolchain and the OS, never declared in Package.swift.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Android",
    "WinSDK", "os", "Dispatch", "Synchronization", "_Concurrency", "Swift", "SwiftShims", "CoreFoundation",
    "Observation", "RegexBuilder", "Distributed", "Testing", "XCTest",
}

TYPE_DECLARATION = re.compile(
    r"^(?:@[\w.]+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|package|internal|fileprivate|private|open|final|indirect|nonisolated)\s+)*"
    r"(struct|enum|class|actor|protocol|typealias)\s+([A-Z]\w*)")
IMPORT = re.compile(
    r"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(struct|class|enum|protocol|func|var|let|typealias|actor)\s+)?([A-Za-z_]\w*)")


def manifest():
    output = subprocess.run(
        ["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def dependency_names(target):
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def target_directory(target):
    if target.get("path"):
        return ROOT / target["path"]
    return ROOT / ("Tests" if target["type"] == "test" else "Sources") / target["name"]


def swift_files(directory):
    return sorted(directory.rglob("*.swift")) if directory.is_dir() else []


def main():
    package = manifest()
    targets = package["targets"]
    own_modules = {target["name"] for target in targets}
    problems = []

    declared_in = {}
    for target in targets:
        for file in swift_files(target_directory(target)):
            in_string = False
            for line in file.read_text(errors="replace").splitlines():
                if line.count('"""') % 2 == 1:
                    in_string = not in_string
                    continue
                if in_string:
                    continue
                match = TYPE_DECLARATION.match(line)
                if match and not re.match(r"^\s*(?:@\S+\s+)*(?:fileprivate|private)\b", line):
                    declared_in.setdefault(match.group(2), set()).add(target["name"])
    for name, owners in sorted(declared_in.items()):
        if len(owners) > 1:
            problems.append(f"type {name} is declared in {len(owners)} targets: {', '.join(sorted(owners))}")

    for target in targets:
        if target["type"] == "system-target":
            continue
        declared = dependency_names(target)
        for file in swift_files(target_directory(target)):
            relative = file.relative_to(ROOT)
            in_string = False  # inside a multi-line string literal (e.g. an embedded Python script)
            for number, line in enumerate(file.read_text(errors="replace").splitlines(), start=1):
                if line.count('"""') % 2 == 1:
                    in_string = not in_string
                    continue
                if in_string:
                    continue
                match = IMPORT.match(line)
                if not match:
                    continue
                kind, module = match.groups()
                if kind and module in own_modules:
                    problems.append(
                        f"{relative}:{number}: imports one declaration of {module} (`import {kind} {module}.…`)"
                        " — a sign of a name clash")
                if module in SYSTEM or module == target["name"]:
                    continue
                if module not in declared:
                    problems.append(
                        f"{relative}:{number}: target {target['name']} imports {module}, which Package.swift"
                        " does not declare for it")

    for problem in problems:
        print(problem)
    if problems:
        print(f"check-layering: {len(problems)} problem(s)")
        return 1
    print(f"check-layering: {len(targets)} targets, no duplicate type names, every import declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())

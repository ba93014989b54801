#!/usr/bin/env python3
"""Derives the emulator's Kubernetes schema table from upstream Kubernetes 1.32 sources.

The KubeEmulator decodes Kubernetes protobuf request bodies and serves OpenAPI v3 for built-in
kinds from one compact table (Sources/KubeEmulator/Schemas/KubernetesSchemaTable.swift). This
script writes that table; nothing in it is typed by hand.

Inputs (never committed; only the derived table is):
  - https://github.com/kubernetes/api            at tag v0.32.4 (Kubernetes v1.32.4, the version the
                                                  emulator reports in /version)
  - https://github.com/kubernetes/apimachinery   at tag v0.32.4
  - https://github.com/kubernetes/apiextensions-apiserver at tag v0.32.4 (CustomResourceDefinition)

From each package directory the script reads
  - generated.proto: message layouts (field numbers, protobuf types, repeated/map, nesting) and the
    comment tags `+patchStrategy=`, `+patchMergeKey=`, `+listType=`, `+listMapKey=`, `+mapType=`,
    `+optional`;
  - the Go sources (*.go, not tests): the struct tags of the same fields — the JSON name (the proto
    field name equals it except for embedded structs, which JSON inlines), `omitempty`, and whether
    the Go field is a pointer — which decide what Go's encoding/json writes for a zero or absent
    field, so a protobuf body is stored exactly as the JSON of the same object would be; and
    `const GroupName`. Proto and Go field numbers are cross-checked; a mismatch aborts.

Re-derive (clones or bare mirrors both work; with --rev the files are read with `git show`):
  git clone https://github.com/kubernetes/api /tmp/k8s-api
  git clone https://github.com/kubernetes/apimachinery /tmp/k8s-apimachinery
  git clone https://github.com/kubernetes/apiextensions-apiserver /tmp/k8s-apiextensions
  Scripts/derive-k8s-schemas.py --api /tmp/k8s-api --apimachinery /tmp/k8s-apimachinery \
      --apiextensions /tmp/k8s-apiextensions --rev v0.32.4 > Sources/KubeEmulator/Schemas/KubernetesSchemaTable.swift
  swift format format --in-place Sources/KubeEmulator/Schemas/KubernetesSchemaTable.swift

Table format (one record per line, space separated):
  P <proto package> <group> <version>               a package; the messages below belong to it;
                                                      group is its API group, `core` for the core
                                                      group "", `-` for none (meta, runtime, …)
  M <message> <flags>                                 flags: T embeds TypeMeta (apiVersion/kind),
                                                      W is a Go named slice (JSON: the `items` array)
  F <number> <name> <type> <flags> [k=v]…           a field; name is the JSON name (the proto name
                                                      for embedded fields and for fields JSON does
                                                      not name); type is a scalar (string, bool, int32,
                                                      int64, uint32, uint64, double, float, bytes), a
                                                      message (its name in the same package, else
                                                      its full name), or map:<key>:<value>;
                                                      flags: r repeated, p Go pointer, o omitempty,
                                                      i inline (embedded), q required in OpenAPI;
                                                      k=v: ps patch strategy, pk patch merge key,
                                                      lt list type, lk list map keys, mt map type
"""

import argparse
import os
import re
import subprocess
import sys

API_PACKAGES = [
    "core/v1", "apps/v1", "policy/v1", "coordination/v1", "events/v1", "rbac/v1",
    "authorization/v1", "authentication/v1", "autoscaling/v1",
]
APIEXTENSIONS_PACKAGES = ["pkg/apis/apiextensions/v1"]
APIMACHINERY_PACKAGES = [
    "pkg/apis/meta/v1", "pkg/runtime", "pkg/runtime/schema", "pkg/util/intstr", "pkg/api/resource",
]
SCALARS = {"string", "bool", "int32", "int64", "uint32", "uint64", "double", "float", "bytes"}


class Source:
    def __init__(self, root, rev):
        self.root, self.rev = root, rev

    def read(self, path):
        if self.rev:
            return subprocess.run(["git", "-C", self.root, "show", f"{self.rev}:{path}"], check=True,
                                  capture_output=True, text=True).stdout
        with open(os.path.join(self.root, path), encoding="utf-8") as handle:
            return handle.read()

    def list(self, directory):
        if self.rev:
            out = subprocess.run(["git", "-C", self.root, "ls-tree", "--name-only", f"{self.rev}:{directory}"],
                                 check=True, capture_output=True, text=True).stdout
            return [f"{directory}/{name}" for name in out.split()]
        return [f"{directory}/{name}" for name in sorted(os.listdir(os.path.join(self.root, directory)))]


FIELD = re.compile(r"^\s*(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;")
MAP_FIELD = re.compile(r"^\s*map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;")


def parse_proto(text):
    """Returns (package, [(message, [field dict])])."""
    package = re.search(r"^package\s+([\w.]+)\s*;", text, re.M).group(1)
    messages, current, tags = [], None, {}
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("message ") and stripped.endswith("{"):
            current = (stripped.split()[1], [])
            messages.append(current)
            tags = {}
            continue
        if current is None:
            continue
        if stripped == "}":
            current = None
            continue
        if stripped.startswith("//"):
            tag = re.match(r"//\s*\+(\w+)(?:=(.*))?$", stripped)
            if tag:
                key, value = tag.group(1), (tag.group(2) or "").strip()
                if key == "listMapKey":
                    tags.setdefault("listMapKey", []).append(value)
                else:
                    tags[key] = value
            continue
        if not stripped:
            tags = {}
            continue
        match = FIELD.match(line)
        mapped = MAP_FIELD.match(line)
        if match:
            label, ftype, name, number = match.groups()
            current[1].append({"name": name, "number": int(number), "type": ftype, "repeated": label == "repeated",
                               "map": None, "tags": tags})
        elif mapped:
            key, value, name, number = mapped.groups()
            current[1].append({"name": name, "number": int(number), "type": None, "repeated": False,
                               "map": (key, value), "tags": tags})
        else:
            raise SystemExit(f"unparsed line in {package}: {line}")
        tags = {}
    return package, messages


STRUCT_START = re.compile(r"^type\s+(\w+)\s+struct\s*{")
GO_FIELD = re.compile(r"^\s+(?:(\w+)\s+)?([*\[\]\w.]+(?:\[[\w.]+\][*\w.\[\]]+)?)\s+`([^`]*)`")
SLICE_ALIAS = re.compile(r"^type\s+(\w+)\s+\[\]([\w.]+)\s*$")


def parse_go(texts):
    """Returns ({struct: {proto number: go field}}, {struct with TypeMeta}, {named slice types})."""
    structs, typemeta, slices = {}, set(), set()
    for text in texts:
        current = None
        for line in text.splitlines():
            start = STRUCT_START.match(line)
            if start:
                current = start.group(1)
                structs.setdefault(current, {})
                continue
            alias = SLICE_ALIAS.match(line)
            if alias and alias.group(2) != "byte":
                slices.add(alias.group(1))
            if current is None:
                continue
            if line.startswith("}"):
                current = None
                continue
            match = GO_FIELD.match(line)
            if not match:
                continue
            name, gotype, tag = match.groups()
            if name is None and gotype.endswith("TypeMeta"):
                typemeta.add(current)
            proto = re.search(r'protobuf:"([^"]*)"', tag)
            if not proto:
                continue
            parts = proto.group(1).split(",")
            if len(parts) < 2 or not parts[1].isdigit():
                continue
            json_tag = re.search(r'json:"([^"]*)"', tag)
            json_parts = (json_tag.group(1) if json_tag else "").split(",")
            structs[current][int(parts[1])] = {
                "json": json_parts[0],
                "omitempty": "omitempty" in json_parts[1:],
                "pointer": gotype.startswith("*"),
                "inline": name is None and json_parts[0] == "",
                "protoname": next((p[5:] for p in parts if p.startswith("name=")), ""),
            }
    return structs, typemeta, slices


def derive(source, directory, out):
    files = source.list(directory)
    proto_text = source.read(f"{directory}/generated.proto")
    go_texts = [source.read(f) for f in files if f.endswith(".go") and not f.endswith("_test.go")
                and not f.endswith("generated.pb.go")]
    package, messages = parse_proto(proto_text)
    structs, typemeta, slices = parse_go(go_texts)
    group = "-"
    for text in go_texts:
        found = re.search(r'^const\s+GroupName\s*=\s*"([^"]*)"', text, re.M)
        if found:
            group = found.group(1) or "core"
    version = directory.rsplit("/", 1)[-1]
    out.append(f"P {package} {group} {version}")

    def qualify(name):
        name = name.lstrip(".")
        if name.startswith(package + ".") and "." not in name[len(package) + 1:]:
            return name[len(package) + 1:]
        return name

    for name, fields in messages:
        flags = ("T" if name in typemeta else "") + ("W" if name in slices else "")
        out.append(f"M {name} {flags or '-'}")
        go = structs.get(name, {})
        for field in fields:
            info = go.get(field["number"])
            if info is None:
                # Messages without a Go struct (Timestamp, Verbs' wrapper, …): proto name, JSON omitempty.
                info = {"json": field["name"], "omitempty": True, "pointer": False, "inline": False,
                        "protoname": field["name"]}
            if info["protoname"] and info["protoname"] != field["name"]:
                raise SystemExit(f"{package}.{name}: field {field['number']} is {field['name']} in proto, "
                                 f"{info['protoname']} in Go")
            if not info["inline"] and info["json"] != field["name"]:
                print(f"note: {package}.{name}.{field['name']} has JSON name {info['json']}", file=sys.stderr)
            if field["map"]:
                ftype = f"map:{qualify(field['map'][0])}:{qualify(field['map'][1])}"
            else:
                ftype = qualify(field["type"])
            tags = field["tags"]
            required = not info["omitempty"] and "optional" not in tags and not info["inline"]
            fflags = "".join(flag for flag, on in [
                ("r", field["repeated"]), ("p", info["pointer"]), ("o", info["omitempty"]),
                ("i", info["inline"]), ("q", required)] if on)
            extras = []
            for key, short in [("patchStrategy", "ps"), ("patchMergeKey", "pk"), ("listType", "lt"),
                               ("mapType", "mt")]:
                if tags.get(key):
                    extras.append(f"{short}={tags[key]}")
            if tags.get("listMapKey"):
                extras.append("lk=" + ",".join(tags["listMapKey"]))
            json_name = field["name"] if info["inline"] or info["json"] in ("", "-") else info["json"]
            out.append(" ".join([f"F {field['number']} {json_name} {ftype} {fflags or '-'}"] + extras))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True, help="kubernetes/api checkout or git directory")
    parser.add_argument("--apimachinery", required=True, help="kubernetes/apimachinery checkout or git directory")
    parser.add_argument("--apiextensions", required=True,
                        help="kubernetes/apiextensions-apiserver checkout or git directory")
    parser.add_argument("--rev", help="read files at this tag with git show (e.g. v0.32.4)")
    args = parser.parse_args()
    lines = []
    for directory in APIMACHINERY_PACKAGES:
        derive(Source(args.apimachinery, args.rev), directory, lines)
    for directory in API_PACKAGES:
        derive(Source(args.api, args.rev), directory, lines)
    for directory in APIEXTENSIONS_PACKAGES:
        derive(Source(args.apiextensions, args.rev), directory, lines)
    revision = args.rev or "a working tree"
    print("// Generated by Scripts/derive-k8s-schemas.py from kubernetes/api, kubernetes/apimachinery and")
    print("// kubernetes/apiextensions-apiserver")
    print(f"// at {revision}. Do not edit; re-run the script (its header says how).")
    print("")
    print("extension KubernetesSchemas {")
    print("    /// The derived table (format: Scripts/derive-k8s-schemas.py).")
    print('    static let table = """')
    for line in lines:
        print(f"        {line}")
    print('        """')
    print("}")


if __name__ == "__main__":
    main()

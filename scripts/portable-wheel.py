#!/usr/bin/env python3
"""Assembles a platform wheel of euid-sdk from a prebuilt library and pre-generated bindings.

Usage: scripts/portable-wheel.py --platform PLATFORM --lib LIB [--testing-lib KIT_LIB] --bindings EUID_PY --out DIR

PLATFORM is the library's folder under target/portable/lib/ (JNA's resource prefix, or
linux-musl-<arch>); TAGS below gives its wheel tags.

`maturin --zig` cannot build this package: its uniffi binding generation reads the metadata from
the library it just linked, and a zig-linked library has no static symbol table. So
scripts/portable-build.sh generates the bindings from a normal build and links the libraries with
zig, and this script packs them the way maturin does (python/pyproject.toml's metadata, the
python/src package, the generated module under euid_sdk/_native/, the test kit's library under
euid_sdk/testing/ where one is built for PLATFORM, and the entry points, such as the pytest
plugin), tagged for PLATFORM, with a RECORD of sha256 hashes. The zip is reproducible.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_DIR = ROOT / "python"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# The platform tags of each library (scripts/check-natives.py checks that they fit it).
TAGS = {
    "linux-x86-64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "linux-aarch64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "linux-musl-x86-64": ["musllinux_1_2_x86_64"],
    "linux-musl-aarch64": ["musllinux_1_2_aarch64"],
    "win32-x86-64": ["win_amd64"],
    "darwin-x86-64": ["macosx_10_14_x86_64"],
    "darwin-aarch64": ["macosx_11_0_arm64"],
}


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.4",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        *[f"Classifier: {c}" for c in project.get("classifiers", [])],
        f"Summary: {project['description']}",
    ]
    license = project.get("license", {})
    if isinstance(license, dict) and "text" in license:
        lines.append(f"License: {license['text']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    for dep in project.get("dependencies", []):
        lines.append(f"Requires-Dist: {dep}")
    readme = project.get("readme")
    body = ""
    if readme:
        lines.append("Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM")
        body = "\n" + (PYTHON_DIR / readme).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n" + body


def entry_points(groups: dict[str, dict[str, str]]) -> str:
    """entry_points.txt (the INI form of the packaging spec) of pyproject's entry-points tables."""
    sections = []
    for group, entries in groups.items():
        sections.append(f"[{group}]\n" + "".join(f"{name} = {ref}\n" for name, ref in entries.items()))
    return "\n".join(sections)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--platform", required=True, choices=sorted(TAGS))
    ap.add_argument("--lib", required=True, type=Path, help="the library to ship")
    ap.add_argument("--testing-lib", type=Path,
                    help="the test kit's library (package data of euid_sdk.testing), if built for PLATFORM")
    ap.add_argument("--bindings", required=True, type=Path, help="the generated euid.py")
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args()

    pyproject = tomllib.loads((PYTHON_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    maturin = pyproject["tool"]["maturin"]
    module = maturin["module-name"]  # euid_sdk._native
    package, native = module.split(".")
    source = PYTHON_DIR / maturin.get("python-source", ".") / package
    dist_name = re.sub(r"[-_.]+", "_", project["name"]).lower()
    version = project["version"]
    tags = [f"py3-none-{t}" for t in TAGS[args.platform]]
    platform = ".".join(t.split("-")[2] for t in tags)
    wheel_name = f"{dist_name}-{version}-py3-none-{platform}.whl"
    dist_info = f"{dist_name}-{version}.dist-info"
    lib_name = args.lib.name

    files: list[tuple[str, bytes, int]] = []  # (path in the wheel, content, mode)
    for f in sorted(source.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".so", ".dylib", ".dll"):
            rel = f.relative_to(source.parent).as_posix()
            if rel.startswith(f"{package}/{native}/"):
                continue  # generated below, never taken from the source tree
            files.append((rel, f.read_bytes(), 0o644))
    binding_module = args.bindings.stem  # euid
    files.append((f"{package}/{native}/__init__.py", f"from .{binding_module} import *  # NOQA\n".encode(), 0o644))
    files.append((f"{package}/{native}/{args.bindings.name}", args.bindings.read_bytes(), 0o644))
    files.append((f"{package}/{native}/{lib_name}", args.lib.read_bytes(), 0o755))
    if not (source / "testing").is_dir():
        raise SystemExit(f"{source}/testing (the test kit) is missing")
    if args.testing_lib:
        files.append((f"{package}/testing/{args.testing_lib.name}", args.testing_lib.read_bytes(), 0o755))
    if not any(p == f"{package}/py.typed" for p, _, _ in files):
        raise SystemExit(f"{source}/py.typed is missing")
    cdylib = lib_name.removeprefix("lib").split(".")[0]
    if f'libname.format("{cdylib}")'.encode() not in args.bindings.read_bytes():
        raise SystemExit(f"{args.bindings} does not load {lib_name}")
    files.append((f"{dist_info}/METADATA", metadata(project).encode(), 0o644))
    if project.get("entry-points"):
        files.append((f"{dist_info}/entry_points.txt", entry_points(project["entry-points"]).encode(), 0o644))
    wheel = ["Wheel-Version: 1.0", "Generator: euid-sdk scripts/portable-wheel.py",
             "Root-Is-Purelib: false", *[f"Tag: {t}" for t in tags]]
    files.append((f"{dist_info}/WHEEL", ("\n".join(wheel) + "\n").encode(), 0o644))
    record = "".join(f"{p},{record_hash(d)},{len(d)}\n" for p, d, _ in files) + f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode(), 0o644))

    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / wheel_name
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path, data, mode in files:
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    tmp.replace(target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())

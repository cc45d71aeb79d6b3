#!/usr/bin/env python3
"""Checks that shipped native libraries run on old Linux userlands (manylinux2014 / glibc 2.17).

Usage: scripts/check-glibc.py [--max 2.17] [--jar-arches x86_64,aarch64] PATH...

PATH is a shared library, a wheel, a jar, or a folder searched for those. Every ELF shared
library found (inside a wheel or jar too) is parsed here, with no objdump or readelf, so one
checker reads x86-64 and aarch64 libraries alike. For each library it prints the architecture,
the highest GLIBC_x.y symbol version it requires (from .gnu.version_r, the table the dynamic
loader checks at load time) with a few of the symbols that need it, and its DT_NEEDED libraries.

It fails (exit 1) when a library
  - requires a GLIBC version above --max (default 2.17, manylinux2014), or GLIBC_PRIVATE;
  - needs a library outside the manylinux2014 whitelist (PEP 599);
  - sits in a wheel whose platform tag promises an older glibc or another architecture, or in a
    jar folder (linux-x86-64/, linux-aarch64/) of another architecture;
and when an artifact holds no library at all, or a jar lacks one of --jar-arches.
"""

from __future__ import annotations

import argparse
import io
import re
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SHT_DYNAMIC = 6
SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
DT_NEEDED = 1
MACHINES = {62: "x86_64", 183: "aarch64", 3: "i686", 40: "armv7l", 21: "ppc64le", 22: "s390x"}
# JNA's resource prefixes (com.sun.jna.Platform.RESOURCE_PREFIX) and what they must hold.
JAR_DIRS = {"linux-x86-64": "x86_64", "linux-aarch64": "aarch64"}
# PEP 599 (manylinux2014): the only libraries a wheel's extension may link against.
MANYLINUX2014_LIBS = {
    "libgcc_s.so.1", "libstdc++.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libc.so.6",
    "libnsl.so.1", "libutil.so.1", "libpthread.so.0", "libresolv.so.2", "libX11.so.6",
    "libXext.so.6", "libXrender.so.1", "libICE.so.6", "libSM.so.6", "libGL.so.1",
    "libgobject-2.0.so.0", "libgthread-2.0.so.0", "libglib-2.0.so.0",
}
LOADERS = re.compile(r"^ld-linux(-x86-64|-aarch64)?\.so\.[12]$")


@dataclass
class Elf:
    machine: str
    needed: list[str]
    # version namespace ("GLIBC", "GCC"...) -> {version string: [symbols needing it]}
    versions: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def parse_elf(data: bytes) -> Elf:
    if data[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    machine_id = struct.unpack_from(end + "H", data, 18)[0]
    if is64:
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x3A)
        sh_fmt = end + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x2E)
        sh_fmt = end + "IIIIIIIIII"
    if shoff == 0 or shnum == 0:
        raise ValueError("no section headers (sstrip'ed?): cannot read the version needs")
    # (type, offset, size, link, entsize) per section
    sections = []
    for i in range(shnum):
        f = struct.unpack_from(sh_fmt, data, shoff + i * shentsize)
        sections.append((f[1], f[4], f[5], f[6], f[9]))

    def cstr(table: int, off: int) -> str:
        base = sections[table][1] + off
        return data[base:data.index(b"\0", base)].decode()

    elf = Elf(MACHINES.get(machine_id, f"machine {machine_id}"), [])
    index_to_version: dict[int, tuple[str, str]] = {}
    for stype, off, size, link, _ in sections:
        if stype == SHT_DYNAMIC:
            fmt, step = (end + "qQ", 16) if is64 else (end + "iI", 8)
            for pos in range(off, off + size, step):
                tag, val = struct.unpack_from(fmt, data, pos)
                if tag == DT_NEEDED:
                    elf.needed.append(cstr(link, val))
        elif stype == SHT_GNU_VERNEED:
            pos = off
            while True:
                _, cnt, _, aux, nxt = struct.unpack_from(end + "HHIII", data, pos)
                apos = pos + aux
                for _ in range(cnt):
                    _, _, other, name, anext = struct.unpack_from(end + "IHHII", data, apos)
                    full = cstr(link, name)
                    ns, _, ver = full.partition("_")
                    elf.versions.setdefault(ns, {}).setdefault(ver or full, [])
                    index_to_version[other] = (ns, ver or full)
                    apos += anext
                if nxt == 0:
                    break
                pos += nxt
    # Which undefined symbols need which version (for the report only).
    dynsym = next((s for s in sections if s[0] == SHT_DYNSYM), None)
    versym = next((s for s in sections if s[0] == SHT_GNU_VERSYM), None)
    if dynsym and versym:
        _, off, size, link, entsize = dynsym
        count = size // entsize
        for i in range(count):
            if is64:
                name, _, _, shndx = struct.unpack_from(end + "IBBH", data, off + i * entsize)
            else:
                name, = struct.unpack_from(end + "I", data, off + i * entsize)
                shndx, = struct.unpack_from(end + "H", data, off + i * entsize + 14)
            idx = struct.unpack_from(end + "H", data, versym[1] + 2 * i)[0] & 0x7FFF
            if shndx == 0 and idx in index_to_version:
                ns, ver = index_to_version[idx]
                elf.versions[ns][ver].append(cstr(link, name))
    return elf


def wheel_platform(name: str) -> tuple[tuple[int, int], str] | None:
    """(glibc, arch) promised by a wheel's manylinux tag(s); the lowest glibc if several."""
    platforms = name[:-4].split("-")[-1].split(".")
    found = []
    for plat in platforms:
        m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", plat)
        legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
        m2 = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014)_(\w+)", plat)
        if m:
            found.append(((int(m[1]), int(m[2])), m[3]))
        elif m2:
            found.append((legacy[m2[1]], m2[2]))
    return min(found) if found else None


def libraries(path: Path) -> list[tuple[str, bytes, str | None, tuple[int, int] | None]]:
    """(label, bytes, expected arch, promised glibc) of every shared library in PATH."""
    out: list[tuple[str, bytes, str | None, tuple[int, int] | None]] = []
    if path.suffix in (".whl", ".jar"):
        with zipfile.ZipFile(path) as z:
            members = [n for n in z.namelist() if re.search(r"\.so(\.\d+)*$", n)]
            if not members:
                raise SystemExit(f"FAIL {path}: holds no shared library")
            promise = wheel_platform(path.name) if path.suffix == ".whl" else None
            if path.suffix == ".whl" and promise is None:
                raise SystemExit(f"FAIL {path}: no manylinux platform tag")
            for n in members:
                if promise:
                    arch: str | None = promise[1]
                else:
                    arch = JAR_DIRS.get(n.split("/")[0])
                    if arch is None:
                        raise SystemExit(f"FAIL {path}!{n}: not in a JNA platform folder")
                out.append((f"{path.name}!{n}", z.read(n), arch, promise[0] if promise else None))
    else:
        out.append((str(path), path.read_bytes(), None, None))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max", default="2.17", help="highest GLIBC version allowed (default 2.17)")
    ap.add_argument("--jar-arches", default="", help="architectures every jar must carry, comma-separated")
    ap.add_argument("paths", nargs="+", type=Path)
    args = ap.parse_args()
    limit = version_key(args.max)
    jar_arches = {a for a in args.jar_arches.split(",") if a}

    files: list[Path] = []
    for p in args.paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and (
                f.suffix in (".whl", ".jar") or re.search(r"\.so(\.\d+)*$", f.name)))
        elif p.is_file():
            files.append(p)
        else:
            print(f"FAIL {p}: no such file", file=sys.stderr)
            return 1
    if not files:
        print("FAIL: no library, wheel or jar found", file=sys.stderr)
        return 1

    failures = 0
    checked = 0
    for f in files:
        arches_seen = set()
        for label, data, want_arch, promise in libraries(f):
            elf = parse_elf(data)
            arches_seen.add(elf.machine)
            checked += 1
            problems = []
            glibc = elf.versions.get("GLIBC", {})
            public = [v for v in glibc if v != "PRIVATE"]
            top = max(public, key=version_key) if public else None
            if "PRIVATE" in glibc:
                problems.append("requires GLIBC_PRIVATE")
            if top and version_key(top) > limit:
                problems.append(f"requires GLIBC_{top} > {args.max}")
            if promise and top and version_key(top) > promise:
                problems.append(f"requires GLIBC_{top} but the tag promises glibc {promise[0]}.{promise[1]}")
            if want_arch and elf.machine != want_arch:
                problems.append(f"is {elf.machine}, expected {want_arch}")
            odd = [n for n in elf.needed if n not in MANYLINUX2014_LIBS and not LOADERS.match(n)]
            if odd:
                problems.append(f"needs libraries outside manylinux2014: {', '.join(odd)}")
            others = ", ".join(
                f"{ns}_{max(vs, key=version_key)}" for ns, vs in sorted(elf.versions.items()) if ns != "GLIBC"
            )
            examples = ", ".join(sorted(glibc.get(top, []))[:3]) if top else ""
            print(f"{'OK  ' if not problems else 'FAIL'} {label}")
            print(f"     {elf.machine}; highest GLIBC_{top or 'none'}" + (f" (e.g. {examples})" if examples else "")
                  + (f"; also {others}" if others else ""))
            print(f"     needs {', '.join(elf.needed)}")
            for p in problems:
                print(f"     -> {p}")
            failures += bool(problems)
        if f.suffix == ".jar" and jar_arches - arches_seen:
            print(f"FAIL {f.name}: lacks {', '.join(sorted(jar_arches - arches_seen))}")
            failures += 1
    print(f"check-glibc: {checked} libraries, {failures} failing (limit GLIBC_{args.max})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks the shipped native libraries, each by its own format, against the platform it is for.

Usage: scripts/check-natives.py [--exports FILE] [--jar-platforms P,P...] [--wheel-count N] PATH...

PATH is a library, a wheel, a jar, or a folder searched for those (a library in a folder named
for its platform, as scripts/portable-build.sh writes them, is checked against that platform).
Every library is parsed here, with no objdump, readelf or otool, so one checker reads every
format and architecture:

  ELF (Linux, glibc)  architecture; highest GLIBC_x.y symbol version (from .gnu.version_r, what the
                      loader checks) at most 2.17; DT_NEEDED only manylinux2014's libraries (PEP 599)
  ELF (Linux, musl)   architecture; DT_NEEDED only musl's libc.so (and libgcc_s.so.1, as
                      musllinux allows); no glibc symbol version at all
  PE (Windows)        machine AMD64, a DLL; imports only DLLs that every Windows 10+ has
  Mach-O (macOS)      CPU type; a dylib; LC_BUILD_VERSION platform macOS with the minimum version
                      the wheel tag promises; links only libSystem and the chosen frameworks; install
                      name @rpath/libeuid_ffi.dylib; arm64: an ad-hoc code signature whose page hashes
                      match the file (macOS kills arm64 code whose signature does not)

The test kit's library (libeuid_testing.so, in euid_sdk/testing/ of a wheel and in the folders of
the euid-sdk-testing jar) gets the same platform checks and must export exactly its three
euid_testing_ functions. And for every SDK library: its exported interface (UniFFI's functions and metadata, the door's C and
JNI entry points), exactly the same names on every platform (Mach-O's leading underscore removed),
and exactly --exports (one name a line: what the normal build exports, the set the generated
bindings were made from) when given. A wheel's tag must
match its library (format, architecture, libc, minimum macOS), and the library must have the file
name the generated Python module loads; a jar's folders are JNA's resource prefixes (plus
linux-musl-*, which org.euidsdk.NativePlatform picks on musl), each holding the right library.
Fails (exit 1) on any mismatch, and when an artifact holds no library or a jar lacks one of
--jar-platforms.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# --- platforms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    """What a library must be to run on one platform."""

    name: str  # the jar folder (JNA's resource prefix, or linux-musl-<arch>)
    fmt: str  # elf, pe, macho
    arch: str  # x86_64, aarch64
    libc: str = ""  # elf only: glibc, musl
    macos_min: tuple[int, int] = (0, 0)  # macho only

    def file_name(self, kind: str) -> str:
        """The file name of library KIND (euid_ffi, euid_testing) on this platform."""
        return {"elf": f"lib{kind}.so", "pe": f"{kind}.dll", "macho": f"lib{kind}.dylib"}[self.fmt]


PLATFORMS = {
    p.name: p
    for p in [
        Platform("linux-x86-64", "elf", "x86_64", "glibc"),
        Platform("linux-aarch64", "elf", "aarch64", "glibc"),
        Platform("linux-musl-x86-64", "elf", "x86_64", "musl"),
        Platform("linux-musl-aarch64", "elf", "aarch64", "musl"),
        Platform("darwin-x86-64", "macho", "x86_64", macos_min=(10, 14)),
        Platform("darwin-aarch64", "macho", "aarch64", macos_min=(11, 0)),
        Platform("win32-x86-64", "pe", "x86_64"),
    ]
}

GLIBC_MAX = (2, 17)
# PEP 599 (manylinux2014): the only libraries a wheel's extension may link against.
MANYLINUX2014_LIBS = {
    "libgcc_s.so.1", "libstdc++.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libc.so.6",
    "libnsl.so.1", "libutil.so.1", "libpthread.so.0", "libresolv.so.2", "libX11.so.6",
    "libXext.so.6", "libXrender.so.1", "libICE.so.6", "libSM.so.6", "libGL.so.1",
    "libgobject-2.0.so.0", "libgthread-2.0.so.0", "libglib-2.0.so.0",
}
GLIBC_LOADERS = re.compile(r"^ld-linux(-x86-64|-aarch64)?\.so\.[12]$")
MUSL_LIBS = {"libc.so", "libgcc_s.so.1"}
# DLLs of every Windows 10 and later (api-ms-win-* are its API sets).
WINDOWS_DLLS = {
    "kernel32.dll", "ntdll.dll", "advapi32.dll", "ws2_32.dll", "userenv.dll", "bcrypt.dll",
    "bcryptprimitives.dll", "crypt32.dll", "secur32.dll", "ncrypt.dll", "ole32.dll",
    "oleaut32.dll", "shell32.dll", "user32.dll", "msvcrt.dll", "iphlpapi.dll", "dnsapi.dll",
}
MACOS_LIBS = re.compile(
    r"^(/usr/lib/libSystem\.B\.dylib|/usr/lib/libiconv\.2\.dylib"
    r"|/System/Library/Frameworks/(Security|CoreFoundation)\.framework/Versions/A/\2)$"
)
MACOS_INSTALL_NAME = "@rpath/libeuid_ffi.dylib"
# The SDK library's interface: UniFFI's functions and metadata, the door's C entry points and its
# JNI functions (scripts/portable-build.sh lists the normal build's the same way).
INTERFACE = re.compile(r"^(uniffi_|ffi_|UNIFFI_META|euid_|Java_org_euidsdk_)")
# The test kit's library (testing/src/lib.rs): exactly these three.
KIT_INTERFACE = {"euid_testing_free", "euid_testing_start", "euid_testing_stop"}
SDK, KIT = "euid_ffi", "euid_testing"


def kind_of(name: str) -> str:
    """Which library a file is, by its name: the SDK's (euid_ffi) or the test kit's."""
    stem = name.rsplit("/", 1)[-1].removeprefix("lib").split(".")[0]
    if stem not in (SDK, KIT):
        raise Failure(f"{name}: neither the SDK's library ({SDK}) nor the test kit's ({KIT})")
    return stem


def wheel_platform(wheel: str) -> tuple[Platform, tuple[int, int] | None]:
    """The platform a wheel's tag names, and (manylinux) the glibc it promises."""
    tags = wheel[: -len(".whl")].split("-")[-1].split(".")
    found: set[tuple[str, tuple[int, int] | None]] = set()
    for tag in tags:
        if m := re.fullmatch(r"manylinux_(\d+)_(\d+)_(x86_64|aarch64)", tag):
            found.add((f"linux-{m[3].replace('_', '-')}", (int(m[1]), int(m[2]))))
        elif m := re.fullmatch(r"manylinux2014_(x86_64|aarch64)", tag):
            found.add((f"linux-{m[1].replace('_', '-')}", (2, 17)))
        elif m := re.fullmatch(r"musllinux_1_2_(x86_64|aarch64)", tag):
            found.add((f"linux-musl-{m[1].replace('_', '-')}", None))
        elif m := re.fullmatch(r"macosx_(\d+)_(\d+)_(x86_64|arm64)", tag):
            name = "darwin-x86-64" if m[3] == "x86_64" else "darwin-aarch64"
            if PLATFORMS[name].macos_min != (int(m[1]), int(m[2])):
                raise Failure(f"{wheel}: tag {tag}, but the library is built for macOS "
                              f"{'.'.join(map(str, PLATFORMS[name].macos_min))}")
            found.add((name, None))
        elif tag == "win_amd64":
            found.add(("win32-x86-64", None))
        else:
            raise Failure(f"{wheel}: unknown platform tag {tag}")
    names = {n for n, _ in found}
    if len(names) != 1:
        raise Failure(f"{wheel}: its tags name {len(names)} platforms")
    glibc = [g for _, g in found if g]
    return PLATFORMS[names.pop()], min(glibc) if glibc else None


class Failure(Exception):
    pass


# --- the formats ----------------------------------------------------------------------------


@dataclass
class Library:
    fmt: str
    arch: str
    needed: list[str]
    exports: set[str]
    libc: str = ""  # elf: glibc, musl, or "" when neither shows
    glibc_top: tuple[int, int] | None = None
    glibc_private: bool = False
    macos_min: tuple[int, int] | None = None
    install_name: str = ""
    signature: str = ""  # macho: "", "valid (ad-hoc)", or why not
    notes: list[str] = field(default_factory=list)


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def cstr(data: bytes, at: int) -> str:
    return data[at : data.index(b"\0", at)].decode()


ELF_MACHINES = {62: "x86_64", 183: "aarch64"}


def parse_elf(data: bytes) -> Library:
    if data[4] != 2 or data[5] != 1:
        raise Failure("not a 64-bit little-endian ELF file")
    machine = struct.unpack_from("<H", data, 18)[0]
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    if shoff == 0 or shnum == 0:
        raise Failure("no section headers: cannot read the version needs")
    # (type, offset, size, link, entsize) per section
    sections = []
    for i in range(shnum):
        f = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        sections.append((f[1], f[4], f[5], f[6], f[9]))
    lib = Library("elf", ELF_MACHINES.get(machine, f"machine {machine}"), [], set())
    glibc: list[str] = []
    for stype, off, size, link, entsize in sections:
        strtab = sections[link][1]
        if stype == 6:  # SHT_DYNAMIC
            for pos in range(off, off + size, 16):
                tag, val = struct.unpack_from("<qQ", data, pos)
                if tag == 1:  # DT_NEEDED
                    lib.needed.append(cstr(data, strtab + val))
        elif stype == 0x6FFFFFFE:  # SHT_GNU_VERNEED
            pos = off
            while True:
                _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", data, pos)
                apos = pos + aux
                for _ in range(cnt):
                    _, _, _, name, anext = struct.unpack_from("<IHHII", data, apos)
                    version = cstr(data, strtab + name)
                    if version.startswith("GLIBC_"):
                        glibc.append(version[len("GLIBC_") :])
                    apos += anext
                if nxt == 0:
                    break
                pos += nxt
        elif stype == 11:  # SHT_DYNSYM: defined, global or weak, default visibility
            for pos in range(off + entsize, off + size, entsize):
                name, info, other, shndx = struct.unpack_from("<IBBH", data, pos)
                if shndx != 0 and info >> 4 in (1, 2) and other & 3 == 0 and info & 0xF in (1, 2):
                    lib.exports.add(cstr(data, strtab + name))
    public = [v for v in glibc if v != "PRIVATE"]
    lib.glibc_private = "PRIVATE" in glibc
    if public:
        top = max(public, key=version_key)
        lib.glibc_top = (version_key(top)[0], version_key(top)[1])
    if "libc.so.6" in lib.needed or glibc:
        lib.libc = "glibc"
    elif "libc.so" in lib.needed:
        lib.libc = "musl"
    return lib


PE_MACHINES = {0x8664: "x86_64", 0xAA64: "aarch64"}


def parse_pe(data: bytes) -> Library:
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe : pe + 4] != b"PE\0\0":
        raise Failure("no PE signature")
    machine, nsections, _, _, _, opt_size, characteristics = struct.unpack_from("<HHIIIHH", data, pe + 4)
    opt = pe + 24
    if struct.unpack_from("<H", data, opt)[0] != 0x20B:
        raise Failure("not PE32+")
    ndirs = struct.unpack_from("<I", data, opt + 108)[0]
    dirs = [struct.unpack_from("<II", data, opt + 112 + 8 * i) for i in range(ndirs)]
    sections = []
    for i in range(nsections):
        s = opt + opt_size + 40 * i
        vsize, vaddr, rawsize, rawptr = struct.unpack_from("<IIII", data, s + 8)
        sections.append((vaddr, max(vsize, rawsize), rawptr))

    def at(rva: int) -> int:
        for vaddr, size, rawptr in sections:
            if vaddr <= rva < vaddr + size:
                return rawptr + rva - vaddr
        raise Failure(f"RVA {rva:#x} is in no section")

    lib = Library("pe", PE_MACHINES.get(machine, f"machine {machine:#x}"), [], set())
    if not characteristics & 0x2000:
        lib.notes.append("not a DLL")
    if ndirs > 0 and dirs[0][0]:
        e = at(dirs[0][0])
        count, names = struct.unpack_from("<I", data, e + 24)[0], struct.unpack_from("<I", data, e + 32)[0]
        for i in range(count):
            lib.exports.add(cstr(data, at(struct.unpack_from("<I", data, at(names) + 4 * i)[0])))
    for index, size in ((1, 20), (13, 32)):  # imports, delay-load imports
        if ndirs > index and dirs[index][0]:
            d = at(dirs[index][0])
            while True:
                name_rva = struct.unpack_from("<I", data, d + (12 if size == 20 else 4))[0]
                if name_rva == 0:
                    break
                lib.needed.append(cstr(data, at(name_rva)))
                d += size
    return lib


MACHO_CPUS = {0x01000007: "x86_64", 0x0100000C: "aarch64"}


def uleb(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = data[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, at


def export_trie(data: bytes, start: int, size: int) -> set[str]:
    names: set[str] = set()
    stack = [(start, "")]
    while stack:
        node, prefix = stack.pop()
        terminal, at = uleb(data, node)
        if terminal:
            names.add(prefix)
        at += terminal
        children = data[at]
        at += 1
        for _ in range(children):
            end = data.index(b"\0", at)
            edge = data[at:end].decode()
            child, at = uleb(data, end + 1)
            stack.append((start + child, prefix + edge))
    return names


def code_signature(data: bytes, offset: int, size: int) -> str:
    """Checks an embedded signature's CodeDirectory: every page hash matches the file."""
    blob = data[offset : offset + size]
    magic, _, count = struct.unpack_from(">III", blob, 0)
    if magic != 0xFADE0CC0:
        return "no embedded signature SuperBlob"
    for i in range(count):
        slot, at = struct.unpack_from(">II", blob, 12 + 8 * i)
        if slot != 0 or struct.unpack_from(">I", blob, at)[0] != 0xFADE0C02:
            continue
        (_, _, _, flags, hash_offset, _, _, code_slots, code_limit, hash_size, hash_type, _,
         page_log2) = struct.unpack_from(">IIIIIIIIIBBBB", blob, at)
        algorithm = {1: hashlib.sha1, 2: hashlib.sha256}.get(hash_type)
        if algorithm is None:
            return f"hash type {hash_type}"
        page = 1 << page_log2
        for n in range(code_slots):
            want = blob[at + hash_offset + n * hash_size : at + hash_offset + (n + 1) * hash_size]
            chunk = data[n * page : min((n + 1) * page, code_limit)]
            if algorithm(chunk).digest()[:hash_size] != want:
                return f"page {n} does not match its hash: the file changed after signing"
        if code_slots * page < code_limit:
            return "the signature does not cover the whole file"
        return "valid (ad-hoc)" if flags & 0x2 else "valid"
    return "no CodeDirectory"


def parse_macho(data: bytes) -> Library:
    magic, cpu, _, filetype, ncmds, _, _ = struct.unpack_from("<IIIIIII", data, 0)
    if magic != 0xFEEDFACF:
        raise Failure("not a thin 64-bit little-endian Mach-O file")
    lib = Library("macho", MACHO_CPUS.get(cpu, f"cpu {cpu:#x}"), [], set())
    if filetype != 6:
        lib.notes.append(f"file type {filetype}, not a dylib (6)")
    at = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, at)
        if cmd in (0xC, 0x18 | 0x80000000, 0x1F | 0x80000000, 0x23 | 0x80000000):  # load, weak, reexport, upward
            lib.needed.append(cstr(data, at + struct.unpack_from("<I", data, at + 8)[0]))
        elif cmd == 0xD:  # LC_ID_DYLIB
            lib.install_name = cstr(data, at + struct.unpack_from("<I", data, at + 8)[0])
        elif cmd == 0x32:  # LC_BUILD_VERSION
            platform, minos = struct.unpack_from("<II", data, at + 8)
            if platform != 1:
                lib.notes.append(f"LC_BUILD_VERSION platform {platform}, not macOS (1)")
            lib.macos_min = (minos >> 16, (minos >> 8) & 0xFF)
        elif cmd in (0x22, 0x22 | 0x80000000):  # LC_DYLD_INFO(_ONLY)
            export_off, export_size = struct.unpack_from("<II", data, at + 40)
            if export_size:
                lib.exports |= export_trie(data, export_off, export_size)
        elif cmd == 0x33 | 0x80000000:  # LC_DYLD_EXPORTS_TRIE
            off, dsize = struct.unpack_from("<II", data, at + 8)
            lib.exports |= export_trie(data, off, dsize)
        elif cmd == 0x1D:  # LC_CODE_SIGNATURE
            off, dsize = struct.unpack_from("<II", data, at + 8)
            lib.signature = code_signature(data, off, dsize)
        at += size
    lib.exports = {n[1:] if n.startswith("_") else n for n in lib.exports}
    return lib


def parse(data: bytes) -> Library:
    if data[:4] == b"\x7fELF":
        return parse_elf(data)
    if data[:2] == b"MZ":
        return parse_pe(data)
    if data[:4] in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return parse_macho(data)
    raise Failure("not an ELF, PE or Mach-O file")


# --- the checks -----------------------------------------------------------------------------


def problems(lib: Library, platform: Platform | None, glibc_promise: tuple[int, int] | None) -> list[str]:
    out = list(lib.notes)
    if platform is None:
        return out
    if lib.fmt != platform.fmt or lib.arch != platform.arch:
        return out + [f"is {lib.fmt} {lib.arch}, expected {platform.fmt} {platform.arch} ({platform.name})"]
    if lib.fmt == "elf":
        if lib.libc != platform.libc:
            out.append(f"links {lib.libc or 'no libc'}, expected {platform.libc}")
        if platform.libc == "glibc":
            limit = min(GLIBC_MAX, glibc_promise or GLIBC_MAX)
            if lib.glibc_private:
                out.append("requires GLIBC_PRIVATE")
            if lib.glibc_top and lib.glibc_top > limit:
                out.append(f"requires GLIBC_{'.'.join(map(str, lib.glibc_top))} > {'.'.join(map(str, limit))}")
            odd = [n for n in lib.needed if n not in MANYLINUX2014_LIBS and not GLIBC_LOADERS.match(n)]
            if odd:
                out.append(f"needs libraries outside manylinux2014: {', '.join(odd)}")
        else:
            odd = [n for n in lib.needed if n not in MUSL_LIBS]
            if odd:
                out.append(f"needs libraries besides musl's: {', '.join(odd)}")
    elif lib.fmt == "pe":
        odd = [n for n in lib.needed if n.lower() not in WINDOWS_DLLS and not n.lower().startswith("api-ms-win-")]
        if odd:
            out.append(f"imports DLLs that Windows does not have: {', '.join(odd)}")
    else:
        if lib.macos_min != platform.macos_min:
            got = ".".join(map(str, lib.macos_min)) if lib.macos_min else "none"
            out.append(f"minimum macOS {got}, expected {'.'.join(map(str, platform.macos_min))}")
        odd = [n for n in lib.needed if not MACOS_LIBS.match(n)]
        if odd:
            out.append(f"links libraries beyond libSystem and the chosen frameworks: {', '.join(odd)}")
        if lib.install_name != MACOS_INSTALL_NAME:
            out.append(f"install name {lib.install_name!r}, expected {MACOS_INSTALL_NAME!r}")
        if platform.arch == "aarch64" and not lib.signature.startswith("valid"):
            out.append(f"code signature: {lib.signature or 'none'} (arm64 macOS refuses to load it)")
    return out


def describe(lib: Library) -> str:
    parts = [f"{lib.fmt} {lib.arch}"]
    if lib.fmt == "elf":
        parts.append(lib.libc or "no libc")
        if lib.glibc_top:
            parts.append(f"highest GLIBC_{'.'.join(map(str, lib.glibc_top))}")
    if lib.macos_min:
        parts.append(f"minimum macOS {'.'.join(map(str, lib.macos_min))}")
    if lib.install_name:
        parts.append(f"install name {lib.install_name}")
    if lib.signature:
        parts.append(f"signature {lib.signature}")
    interface = sum(1 for n in lib.exports if INTERFACE.match(n))
    parts.append(f"{interface} interface names exported ({len(lib.exports)} exports in all)")
    return "; ".join(parts) + f"\n     needs {', '.join(lib.needed) or 'nothing'}"


def artifacts(path: Path) -> list[tuple[str, bytes, Platform | None, tuple[int, int] | None, str]]:
    """(label, library bytes, platform, glibc promise, problem) of every library in PATH."""
    # In a wheel: the SDK's library in the generated module's package, the test kit's in its own.
    wheel_dirs = {SDK: "euid_sdk/_native", KIT: "euid_sdk/testing"}
    out = []
    native = re.compile(r"(\.so|\.dylib|\.dll)$")
    if path.suffix in (".whl", ".jar"):
        with zipfile.ZipFile(path) as z:
            members = [n for n in z.namelist() if native.search(n)]
            if not members:
                raise Failure(f"{path}: holds no native library")
            for n in members:
                label, problem = f"{path.name}!{n}", ""
                kind = kind_of(n)
                if path.suffix == ".whl":
                    platform, promise = wheel_platform(path.name)
                    expected = f"{wheel_dirs[kind]}/{platform.file_name(kind)}"
                    if n != expected:
                        problem = f"expected {expected} in a {platform.name} wheel"
                else:
                    platform, promise = PLATFORMS.get(n.split("/")[0]), None
                    if platform is None:
                        raise Failure(f"{label}: not in a known platform folder")
                    if n != f"{platform.name}/{platform.file_name(kind)}":
                        problem = f"expected {platform.name}/{platform.file_name(kind)}"
                out.append((label, z.read(n), platform, promise, problem))
    else:
        kind_of(path.name)
        out.append((str(path), path.read_bytes(), PLATFORMS.get(path.parent.name), None, ""))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--exports", type=Path, help="the names every library must export, one a line")
    ap.add_argument("--jar-platforms", default="", help="platform folders every jar must hold, comma-separated")
    ap.add_argument("--wheel-count", type=int, help="fail unless exactly this many wheels were checked")
    ap.add_argument("paths", nargs="+", type=Path)
    args = ap.parse_args()
    jar_platforms = {p for p in args.jar_platforms.split(",") if p}
    if unknown := jar_platforms - PLATFORMS.keys():
        ap.error(f"unknown platforms {', '.join(sorted(unknown))}")
    wanted = set(args.exports.read_text().split()) if args.exports else None

    files: list[Path] = []
    for p in args.paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and (
                f.suffix in (".whl", ".jar", ".so", ".dylib", ".dll")))
        elif p.is_file():
            files.append(p)
        else:
            print(f"FAIL {p}: no such file", file=sys.stderr)
            return 1
    if not files:
        print("FAIL: no library, wheel or jar found", file=sys.stderr)
        return 1

    failures = checked = 0
    export_sets: dict[frozenset[str], list[str]] = {}
    for f in files:
        seen: set[str] = set()
        try:
            found = artifacts(f)
        except Failure as err:
            print(f"FAIL {err}")
            failures += 1
            continue
        for label, data, platform, promise, problem in found:
            checked += 1
            try:
                lib = parse(data)
                issues = ([problem] if problem else []) + problems(lib, platform, promise)
            except (Failure, struct.error, ValueError, IndexError) as err:
                print(f"FAIL {label}\n     -> unreadable: {err}")
                failures += 1
                continue
            if platform:
                seen.add(platform.name)
            interface = {n for n in lib.exports if INTERFACE.match(n)}
            if kind_of(label) == KIT:
                if interface != KIT_INTERFACE:
                    issues.append(f"the test kit's library exports {sorted(interface)}, "
                                  f"expected {sorted(KIT_INTERFACE)}")
            else:
                if not interface:
                    issues.append("exports none of the interface (uniffi_, ffi_, UNIFFI_META, euid_, Java_)")
                if wanted is not None and interface != wanted:
                    missing, extra = sorted(wanted - interface), sorted(interface - wanted)
                    issues.append(f"interface differs from --exports: {len(missing)} missing {missing[:3]}, "
                                  f"{len(extra)} more {extra[:3]}")
                export_sets.setdefault(frozenset(interface), []).append(label)
            print(f"{'OK  ' if not issues else 'FAIL'} {label}{f' ({platform.name})' if platform else ''}")
            print(f"     {describe(lib)}")
            for issue in issues:
                print(f"     -> {issue}")
            failures += bool(issues)
        if f.suffix == ".jar" and jar_platforms - seen:
            print(f"FAIL {f.name}: lacks {', '.join(sorted(jar_platforms - seen))}")
            failures += 1
    if len(export_sets) > 1:
        print(f"FAIL the libraries export {len(export_sets)} different interfaces:")
        for names, labels in export_sets.items():
            print(f"     {len(names)} names: {', '.join(labels)}")
        failures += 1
    wheels = sum(f.suffix == ".whl" for f in files)
    if args.wheel_count is not None and wheels != args.wheel_count:
        print(f"FAIL {wheels} wheels, expected {args.wheel_count}")
        failures += 1
    names = len(next(iter(export_sets))) if len(export_sets) == 1 else (
        "differing" if export_sets else "none checked")
    print(f"check-natives: {checked} libraries in {len(files)} files, {failures} failing; "
          f"interface names exported by each SDK library: {names}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes text-based stubs (.tbd, TAPI v4) of the macOS frameworks the SDK library links, so that
a macOS dylib can be linked on Linux with no Apple SDK.

Usage: scripts/macos-stubs.py SYMBOLS OUT_SDK   (SYMBOLS: scripts/macos-frameworks.txt)

SYMBOLS: one "FRAMEWORK SYMBOL" a line (Mach-O names, with the leading underscore), e.g.
"Security _SecTrustEvaluateWithError"; '#' starts a comment. Writes
OUT_SDK/System/Library/Frameworks/<F>.framework/<F>.tbd for each framework named, declaring
exactly those symbols for x86_64 and arm64 macOS, with the framework's real install name (what
LC_LOAD_DYLIB records, so what dyld loads on the user's machine). A stub holds no code: the
link only learns which library each symbol comes from. A symbol the stub lacks fails the link
(the list is then incomplete); a symbol it has that the real framework lacks would fail at load
time (dyld binds every non-lazy symbol at load), hence the list should be the one the final link
needed, each symbol checked against Apple's headers for its availability at the minimum macOS.
"""
import sys
from pathlib import Path

# install name, current version, compatibility version (as in Apple's SDKs: what LC_LOAD_DYLIB
# records; dyld refuses a framework whose current version is below the compatibility version
# recorded, so the compatibility versions are the frameworks' long-standing ones).
FRAMEWORKS = {
    "CoreFoundation": ("/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation",
                       "1770.255", "150"),
    "Security": ("/System/Library/Frameworks/Security.framework/Versions/A/Security",
                 "59754.141.1", "1"),
}
TARGETS = "[ x86_64-macos, arm64-macos ]"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    symbols: dict[str, set[str]] = {}
    for n, line in enumerate(Path(sys.argv[1]).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or parts[0] not in FRAMEWORKS or not parts[1].startswith("_"):
            print(f"{sys.argv[1]}:{n}: expected 'FRAMEWORK _symbol' with FRAMEWORK one of "
                  f"{', '.join(FRAMEWORKS)}: {line!r}", file=sys.stderr)
            return 1
        symbols.setdefault(parts[0], set()).add(parts[1])
    for name, syms in sorted(symbols.items()):
        install, current, compat = FRAMEWORKS[name]
        out = Path(sys.argv[2], "System/Library/Frameworks", f"{name}.framework", f"{name}.tbd")
        out.parent.mkdir(parents=True, exist_ok=True)
        quoted = ",\n".join(f"                       '{s}'" for s in sorted(syms))
        out.write_text(
            "--- !tapi-tbd\n"
            "tbd-version:     4\n"
            f"targets:         {TARGETS}\n"
            f"install-name:    '{install}'\n"
            f"current-version: {current}\n"
            f"compatibility-version: {compat}\n"
            "exports:\n"
            f"  - targets:         {TARGETS}\n"
            f"    symbols:         [\n{quoted} ]\n"
            "...\n")
        print(f"{out}: {len(syms)} symbols")
    return 0


if __name__ == "__main__":
    sys.exit(main())

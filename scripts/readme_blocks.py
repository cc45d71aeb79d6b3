#!/usr/bin/env python3
"""Writes the code blocks of one language from a part of README.md's "Testing your integration"
section into files, exactly as pasted, for the test kit's README tests:

    scripts/readme_blocks.py "### Python" python OUT_DIR   # test_readme_1.py, test_readme_2.py...
    scripts/readme_blocks.py "### Kotlin and Java (JUnit 5)" java OUT_DIR   # <class name>.java

Prints the files written; fails when the part has no such block.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "\n## Testing your integration\n"


def main() -> int:
    heading, language, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    text = README.read_text(encoding="utf-8")
    if SECTION not in text:
        raise SystemExit(f"README.md has no section {SECTION.strip()!r}")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    if f"\n{heading}\n" not in section:
        raise SystemExit(f"README.md's {SECTION.strip()!r} has no {heading!r}")
    part = section.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(rf"```{language}\n(.*?)```", part, flags=re.S)
    if not blocks:
        raise SystemExit(f"README.md's {heading!r} has no {language} block")
    out.mkdir(parents=True, exist_ok=True)
    for n, block in enumerate(blocks, 1):
        if language == "java":
            found = re.search(r"^(?:public )?class (\w+)", block, flags=re.M)
            if found is None:
                raise SystemExit(f"the java block {n} of {heading!r} declares no class")
            name = f"{found.group(1)}.java"
        else:
            name = f"test_readme_{n}.py"
        (out / name).write_text(block, encoding="utf-8")
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes every string found in the shared vectors as a seed file for the fuzzers."""

import hashlib
import json
import pathlib
import sys


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def main(vectors: str, corpus: str) -> None:
    out = pathlib.Path(corpus)
    for path in sorted(pathlib.Path(vectors).glob("*.json")):
        for text in strings(json.loads(path.read_text(encoding="utf-8"))):
            data = text.encode()
            if 0 < len(data) <= 65536:
                (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

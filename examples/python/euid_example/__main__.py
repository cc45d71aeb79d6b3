"""``python -m euid_example``: serves the site on 127.0.0.1 (EXAMPLE_PORT, default a free port)."""

from __future__ import annotations

import os
import signal
import sys

from werkzeug.serving import make_server

from .app import create_app
from .operators import from_environment


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly, the emulator too
    operator = from_environment()
    try:
        server = make_server(
            "127.0.0.1", int(os.environ.get("EXAMPLE_PORT", "0")), create_app(operator),
            threaded=True,
        )
        print(f"EUID example site (Python, Flask): http://127.0.0.1:{server.server_port}/", flush=True)
        where = "the embedded emulator at " if operator.is_emulator else ""
        print(f"EUID operator: {where}{operator.base_url}", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        operator.close()


if __name__ == "__main__":
    main()

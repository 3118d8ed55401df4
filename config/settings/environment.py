"""What every settings module reads first: the environment, the project's folders, and DEBUG."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the embedded default writes (SQLite, broker, cache, uploads) lives here.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

# Off unless asked for: a deployment that forgets DJANGO_DEBUG runs as production and refuses to
# start without its secrets. `make run` and `make test` turn it on.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

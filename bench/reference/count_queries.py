"""Print the SQL queries per request of the two reference endpoints, as JSON.

Run by bench/run.py as `python -m bench.reference.count_queries <username>` with the
reference settings, against the benchmark database.
"""

import json
import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=sys.argv[1]))
    counts = {}
    for name, call in {
        "insert": lambda: client.post("/insert/", {"text": "hello"}),
        "page": lambda: client.get("/page/"),
    }.items():
        call()  # warm: the first request also opens the connection
        with CaptureQueriesContext(connection) as queries:
            response = call()
        if response.status_code != 200:
            raise SystemExit(f"reference {name} answered {response.status_code}")
        counts[name] = len(queries)
    sys.stdout.write(json.dumps(counts) + "\n")


if __name__ == "__main__":
    main()

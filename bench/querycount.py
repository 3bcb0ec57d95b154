#!/usr/bin/env python3
"""Per-request SQL statement counts from a Whistle server log written with `--log trace`.

Requests must have been sent one at a time (e.g. `bench/loop.py --workers 1`): statements
are attributed to the latest request head the log shows. The server's background pollers
(due clocks, webhook outbox) are recognised by their SQL and counted apart. Prints, per route, the number of
requests and the mean count of statements, split into reads (SELECT), writes
(INSERT/UPDATE/DELETE) and transactions (BEGIN … COMMIT).

    python3 bench/querycount.py SERVER.log
"""

import re
import sys
from collections import defaultdict

HEAD = re.compile(r'HTTPRequestHead \{ method: (\w+), uri: "([^"]+)"')
QUERY = re.compile(r"Executing query \[.*?sql: (\w+)")
UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
CODE = re.compile(r"/public/appeals/[A-Z0-9]{6,}")
# The background pollers' statements: the clock engine's claim of its due clocks (before and
# since `afed6af`, when it became one plain SELECT of `DueClock`'s columns inside the pass's
# own transaction), the webhook outbox, and the live feed's poll of the newest event.
BACKGROUND = [re.compile(p) for p in (r'"clocks"\."next_fire_at" <=', r'FROM "outbox"',
                                      r'"plan", "paused_at", "paused_seconds" FROM "clocks"',
                                      r'SELECT MAX\("id"\) AS "last" FROM "events"')]


def route(method, uri):
    path = uri.split("?", 1)[0]
    path = UUID.sub(":id", path)
    path = CODE.sub("/public/appeals/:code", path)
    return f"{method} {path}"


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    stats = defaultdict(lambda: defaultdict(int))
    current = None
    background = 0
    last_begin = None  # the route a BEGIN just counted was charged to, until the next statement
    in_background_tx = False
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            m = HEAD.search(line)
            if m:
                current = route(*m.groups())
                stats[current]["requests"] += 1
                continue
            m = QUERY.search(line)
            if not m:
                continue
            verb = m.group(1).upper()
            if in_background_tx:
                # The rest of a poller's transaction, up to its COMMIT.
                background += 1
                in_background_tx = verb != "COMMIT"
                continue
            if any(b.search(line) for b in BACKGROUND):
                background += 1
                if last_begin is not None:
                    # The BEGIN just before it opened the poller's transaction, not the request's.
                    stats[last_begin]["transactions"] -= 1
                    stats[last_begin]["statements"] -= 1
                    background += 1
                    in_background_tx = True
                last_begin = None
                continue
            last_begin = current if verb == "BEGIN" and current else None
            if current:
                kind = {"SELECT": "reads", "INSERT": "writes", "UPDATE": "writes", "DELETE": "writes",
                        "BEGIN": "transactions"}.get(verb)
                if kind:
                    stats[current][kind] += 1
                if verb != "COMMIT":
                    stats[current]["statements"] += 1
    print(f"{'route':<48}{'requests':>9}{'SQL/req':>9}{'reads':>8}{'writes':>8}{'commits':>8}")
    for name, s in sorted(stats.items(), key=lambda kv: -kv[1]["requests"]):
        n = s["requests"]
        print(f"{name:<48}{n:>9}{s['statements'] / n:>9.1f}{s['reads'] / n:>8.1f}{s['writes'] / n:>8.1f}"
              f"{s['transactions'] / n:>8.1f}")
    print(f"(background poller statements left out: {background})")


if __name__ == "__main__":
    main()

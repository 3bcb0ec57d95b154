#!/usr/bin/env python3
"""Runs a load generator and accounts for the machine's CPU while it runs.

    python3 bench/cpuwatch.py --pid SERVER_PID --json OUT.json -- wrk -t2 … URL

Writes {wall_s, cores, server_cores, client_cores, other_cores, busy_cores, loadavg_before,
loadavg_after, server_cpu_s, exit_code}: server = the server process (all threads), client
= the command and its children (the load generator), other = everything else the machine ran
meanwhile (compilers, editors, other servers). On a shared 2-core machine "other" says how
much of the figures to trust. The command's output passes through; its exit code is ours.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def machine_busy():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK  # user nice system idle iowait irq softirq steal


def proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / TICK  # utime + stime
    except (FileNotFoundError, ProcessLookupError):
        return float("nan")


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        raise SystemExit("no command")
    la0, busy0, srv0 = loadavg(), machine_busy(), proc_cpu(a.pid)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    code = subprocess.call(cmd)
    wall = time.monotonic() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, srv = machine_busy() - busy0, proc_cpu(a.pid) - srv0
    client = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    out = {
        "wall_s": round(wall, 3), "cores": os.cpu_count(),
        "server_cpu_s": round(srv, 2), "client_cpu_s": round(client, 2),
        "server_cores": round(srv / wall, 2), "client_cores": round(client / wall, 2),
        "busy_cores": round(busy / wall, 2), "other_cores": round(max(0.0, busy - srv - client) / wall, 2),
        "loadavg_before": la0, "loadavg_after": loadavg(), "exit_code": code,
    }
    with open(a.json, "w") as f:
        json.dump(out, f)
    return code


if __name__ == "__main__":
    sys.exit(main())

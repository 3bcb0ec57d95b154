#!/usr/bin/env python3
"""A webhook receiver for bench/webhooks.sh: answers 200 to every POST and appends the
arrival time (monotonic-free wall seconds) and Idempotency-Key of each to a file."""
import sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

port, out = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
log = open(out, "a", buffering=1)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        with lock:
            log.write(f"{time.time():.6f} {self.headers.get('Idempotency-Key', '-')}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass

ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()

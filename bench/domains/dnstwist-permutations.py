"""Prints dnstwist's permutations of each domain with the fuzzer that made each one.

Used by bench/domains (run with the interpreter named in the dnstwist script's #! line).
It calls dnstwist's documented Python API, dnstwist.run(domain=..., format='list'),
which returns after generating permutations and before any DNS, WHOIS or HTTP look-up.
The command line cannot give the fuzzer offline: `--format csv` and `--format json`
resolve every permutation first, and `--format list` prints names only.

stdin: {"domains": ["cnn.com", ...], "tld": "/path/to/tld.dict" or null}
stdout: one JSON object per domain:
  {"domain", "ms", "cpu_ms", "permutations": [[fuzzer, name], ...]} or {"domain", "error"}
"""

import contextlib
import io
import json
import sys
import time

import dnstwist


def main():
    request = json.load(sys.stdin)
    print(json.dumps({"version": dnstwist.__version__}), flush=True)
    for domain in request["domains"]:
        kwargs = {"domain": domain, "format": "list"}
        if request.get("tld"):
            kwargs["tld"] = request["tld"]
        started = time.perf_counter()
        cpu_started = time.process_time()
        try:
            # run() also prints the list; only its return value (with fuzzers) is wanted.
            with contextlib.redirect_stdout(io.StringIO()):
                permutations = dnstwist.run(**kwargs)
        except Exception as err:  # dnstwist reports a bad domain by raising
            print(json.dumps({"domain": domain, "error": str(err)}), flush=True)
            continue
        ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu_started) * 1000
        rows = [[p["fuzzer"], p["domain"]] for p in permutations or []]
        print(json.dumps({"domain": domain, "ms": ms, "cpu_ms": cpu_ms, "permutations": rows}), flush=True)


if __name__ == "__main__":
    main()

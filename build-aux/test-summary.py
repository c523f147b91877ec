# SPDX-License-Identifier: EUPL-1.2
"""Counts test cases from meson's testlog.json and further TAP files: each TAP "ok"/"not ok" line
is one case; a test program that failed without reporting a failing case
counts as one failure. Prints "N passed, N failed" as the last line."""
import json
import re
import sys

passed = failed = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        entry = json.loads(line)
        out = entry.get("stdout") or ""
        ok = len(re.findall(r"^ok \d+", out, re.M))
        not_ok = len(re.findall(r"^not ok \d+", out, re.M))
        skipped = len(re.findall(r"^ok \d+.*# SKIP", out, re.M))
        ok -= skipped
        result = entry.get("result")
        if ok == 0 and not_ok == 0:
            ok = 1 if result in ("OK", "EXPECTEDFAIL") else 0
            not_ok = 0 if result in ("OK", "EXPECTEDFAIL", "SKIP") else 1
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and not_ok == 0:
            not_ok = 1
        passed += ok
        failed += not_ok
        if result not in ("OK", "EXPECTEDFAIL", "SKIP"):
            print(f"FAILED: {entry.get('name')} ({result})")
# Further TAP files (the fuzz run): one case per "ok"/"not ok" line.
for extra in sys.argv[2:]:
    try:
        with open(extra, encoding="utf-8") as tap:
            text = tap.read()
    except OSError:
        print(f"FAILED: {extra} missing")
        failed += 1
        continue
    passed += len(re.findall(r"^ok \d+", text, re.M))
    failed += len(re.findall(r"^not ok \d+", text, re.M))
    if "Bail out!" in text:
        failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

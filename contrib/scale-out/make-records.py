#!/usr/bin/env python3
"""make-records.py — files to gongwen input records, one JSON line each: {"id", "path",
"content_base64"} (base64 keeps a GB18030 or Big5 document's original bytes; text "content"
would not).  Usage: make-records.py FILE... > records.jsonl"""
import base64
import json
import os
import sys

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    rec = {"id": os.path.splitext(os.path.basename(path))[0], "path": path,
           "content_base64": base64.b64encode(data).decode("ascii")}
    sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")

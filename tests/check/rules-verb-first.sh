# rules-verb-first: Q_VERB_FIRST in rules/quantity.rules holds exactly the first characters of the
# verbs of Q_VERBS (verb.clause only looks for a verb where one of them stands: a verb added to Q_VERBS
# with a new first character must add it there too).
py=/usr/bin/python3
[ -x $py ] || py=python3
$py - rules/quantity.rules <<'PY'
import sys
defs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("define "):
        _, name, value = line.rstrip("\n").split(" ", 2)
        defs[name] = value
verbs = defs["Q_VERBS"].split("|")
want = set(v[0] for v in verbs)
have = set(defs["Q_VERB_FIRST"].strip("[]"))
if want != have:
    print("rules-verb-first: Q_VERB_FIRST lacks", "".join(sorted(want - have)) or "-",
          "and has in excess", "".join(sorted(have - want)) or "-")
    sys.exit(1)
print(f"rules-verb-first: {len(verbs)} verbs, {len(want)} first characters")
PY

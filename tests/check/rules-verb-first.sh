# rules-verb-first: Q_VERB_FIRST and Q_VERB_LAST in rules/quantity.rules hold exactly the first and
# the last characters of the verbs of Q_VERBS (verb.clause only looks for a verb where one of the first
# stands, and for one ending before it after one of the last: a verb added to Q_VERBS with a new first
# or last character must add it there too).
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
bad = False
for name, at in (("Q_VERB_FIRST", 0), ("Q_VERB_LAST", -1)):
    want = set(v[at] for v in verbs)
    have = set(defs[name].strip("[]"))
    if want != have:
        print(f"rules-verb-first: {name} lacks", "".join(sorted(want - have)) or "-",
              "and has in excess", "".join(sorted(have - want)) or "-")
        bad = True
if bad:
    sys.exit(1)
print(f"rules-verb-first: {len(verbs)} verbs, {len(set(v[0] for v in verbs))} first and "
      f"{len(set(v[-1] for v in verbs))} last characters")
PY

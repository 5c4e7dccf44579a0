# extract-roundtrip: every quantity of ../shared/corpus and ../shared/realcorpus means what its text
# says (issue 12).  Each quantity's text is given to gw-extract again as a document of its own (the
# one numeral parser and the same rules read it: no second parser here) and must come back as one
# quantity over the whole text with the same value, or min and max, and unit.  A few rules need
# the word before the number to fire (超百亿元, 记3分, 分为四级, 市县三级, 翻一番: quantity.bare-scale,
# points, grades, levels, doubling), and 一次 alone is the article 'once' (stop.indefinite) but 至少一次 is
# one time: their text is re-read after the four characters before it, which stay out of it.  A
# magnitude (7.3级, quantity.magnitude) is one only before 震: it is re-read with what follows it
# up to that 震 (7.5级以上特大地震; a list 7.0级、…6.9级和…7.1级中强地震).  A count of days or hours
# (quantity.day-count) is one only in its calculation or after the count it names: it is re-read
# with the ten characters before it on its line and the rest of its clause (…天数（21.75天）,
# 365天－104天（休息日）＝250天).
[ -n "$GW_SHARED" ] && [ -d "$GW_SHARED/corpus" ] && [ -d "$GW_SHARED/realcorpus" ] ||
	{ echo "skipped: ../shared/corpus and ../shared/realcorpus are absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=$(command -v /usr/bin/python3 python3 | head -1)
"$GW_BIN/gw-normalize" --quiet "$GW_SHARED"/corpus/*.txt "$GW_SHARED"/realcorpus/* |
	"$GW_BIN/gw-segment" --quiet | "$GW_BIN/gw-extract" --quiet >"$tmp/docs.jsonl" ||
	{ echo "the chain failed"; exit 1; }
# one record per quantity: the text, after the word before the number when its rule needs one
$py - "$tmp/docs.jsonl" >"$tmp/qs.jsonl" <<'PY'
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    for i, q in enumerate(d["quantities"]):
        lead = tail = ""
        if q["rule"] in ("quantity.bare-scale", "quantity.points", "quantity.grades", "quantity.levels",
                         "quantity.doubling") \
                or (q["text"].startswith("一") and q["value"] == 1):
            s = q["span"][0]
            lead = d["text"][max(0, s - 4):s]
        if q["rule"] == "quantity.magnitude":
            e = q["span"][1]
            tail = d["text"][e:d["text"].find("震", e, e + 80) + 1 or e + 3]
        if q["rule"] == "quantity.day-count":
            s, e = q["span"]
            lead = d["text"][max(0, s - 10):s].rsplit("\n", 1)[-1]
            tail = re.split("[，。；\n]", d["text"][e:e + 40])[0]
        print(json.dumps({"id": f"{d['id']}#{i}", "text": lead + q["text"] + tail, "lead": len(lead),
                          "tail": len(tail),
                          "want": [q["value"], q["min"], q["max"], q["unit"]]}, ensure_ascii=False))
PY
"$GW_BIN/gw-extract" --quiet <"$tmp/qs.jsonl" >"$tmp/again.jsonl" || { echo "gw-extract failed on the texts"; exit 1; }
$py - "$tmp/qs.jsonl" "$tmp/again.jsonl" <<'PY'
import json, sys
want = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
again = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(want) == len(again), f"{len(want)} texts, {len(again)} records back"
bad = 0
for w, a in zip(want, again):
    text = w["text"][w["lead"]:len(w["text"]) - w["tail"]]
    got = [q for q in a["quantities"] if q["text"] == text]
    back = [got[0][k] for k in ("value", "min", "max", "unit")] if len(got) == 1 else None
    if back != w["want"] or (len(a["quantities"]) != 1 and not w["lead"] and not w["tail"]):
        bad += 1
        if bad <= 20:
            print(f"extract-roundtrip: {w['id']}: {text} was {w['want']}, re-read as "
                  f"{[(q['text'], q['value'], q['min'], q['max'], q['unit']) for q in a['quantities']]}")
print(f"extract-roundtrip: {len(want)} quantities, {len(want) - bad} read back the same")
sys.exit(1 if bad else 0)
PY

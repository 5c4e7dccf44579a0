#!/bin/bash
# rules-conditions: a kind.* rule with several scopes (its pattern matching one of them is enough),
# several requires (each must match) and an unless (none may match).  A rule put first in a copy
# of rules/kind.rules makes a quantity a fact only when all of that holds: 12所 (新建 before it),
# 8条 (新建 after it: the second scope); not 3亿元 (计划 before it: the unless) nor 5个 (no 全市 or
# 全县 in its sentence: the first requires).  Those two keep the kind the shipped rules give.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rules" && cp rules/*.rules "$tmp/rules/"
cat - rules/kind.rules >"$tmp/rules/kind.rules" <<'RULES'
rule kind.test-built
kind fact
scope before after
requires kind.test-city kind.test-sentence
unless kind.test-plan
pattern 新建
match 全市新建学校
nomatch 改造道路

rule kind.test-city
scope sentence
pattern 全市|全县
match 全市新建学校12所
nomatch 新建学校

rule kind.test-sentence
scope sentence
pattern 学校|道路|公园
match 全市新建学校12所
nomatch 改造河道

rule kind.test-plan
scope before
pattern 计划
match 计划投资
nomatch 新建
RULES
printf '关于做好学校建设工作的通知\n\n全市新建学校12所，计划新建学校3亿元。全县改造道路8条已新建。另新建公园5个。\n' >"$tmp/in.txt"
"$GW_BIN/gw-rules" --rules "$tmp/rules" --quiet check || { echo "the planted rules do not check"; exit 1; }
got=$("$GW_BIN/gw-normalize" --quiet "$tmp/in.txt" | "$GW_BIN/gw-segment" --quiet --rules "$tmp/rules" |
	"$GW_BIN/gw-extract" --quiet --rules "$tmp/rules" |
	/usr/bin/python3 -c 'import json, sys
for l in sys.stdin:
    for q in json.loads(l).get("quantities", []):
        print(q["text"], q["kind"])')
want='12所 fact
3亿元 target
8条 fact
5个 target'
[ "$got" = "$want" ] || { echo "got:"; echo "$got"; echo "expected:"; echo "$want"; exit 1; }
echo "several scopes, several requires and an unless decide together"

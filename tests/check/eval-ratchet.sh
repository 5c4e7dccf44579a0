# eval-ratchet: the accuracy over ../shared/gold stays at or above the bar the code has reached
# (tests/eval-bar.txt; raise it when the figures improve, never lower it).
[ -n "$GW_SHARED" ] || { echo "skipped: ../shared is absent"; exit 77; }
exec tests/eval.sh "$GW_BIN" "$GW_SHARED" --check tests/eval-bar.txt

#!/usr/bin/env bash
# Runs Freestone's benchmarks and prints their numbers as Markdown (docs/performance.md quotes them).
#   bench/run.sh            all of them
#   bench/run.sh check      one group: check | compile | engine | cache | lsp
# Needs: Java 17, Maven, GNU time (/usr/bin/time), make. Builds target/freestone.jar when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/target/freestone.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests package)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# measured the way a user runs it: bin/freestone (its JVM options and class-data archive)
fs="$here/bin/freestone"
"$fs" --version >/dev/null
group="${1:-all}"

# best of 3: "seconds max_rss_kb"
measure() {
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$out/t" "$@" >"$out/stdout" 2>"$out/stderr" || { cat "$out/stderr" >&2; return 1; }
    read -r s m <"$out/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$m; fi
  done
  echo "$best $rss"
}

if [ "$group" = all ] || [ "$group" = check ]; then
  echo "## freestone check"
  echo
  echo "| steps | wall (s) | peak RSS (MB) |"
  echo "| ---: | ---: | ---: |"
  for n in 1000 10000; do
    java "$here/bench/GenPipeline.java" "$n" >"$out/p$n.pipe"
    read -r s m < <(measure "$fs" check "$out/p$n.pipe")
    echo "| $n | $s | $((m / 1024)) |"
    eval "check_$n=$s"
  done
  echo
  echo "ratio 10,000 / 1,000: $(awk "BEGIN{printf \"%.1f\", $check_10000 / $check_1000}")x"
  echo
fi

if [ "$group" = all ] || [ "$group" = compile ]; then
  echo "## freestone compile (Argo)"
  echo
  echo "| input | wall (s) | peak RSS (MB) | YAML bytes |"
  echo "| --- | ---: | ---: | ---: |"
  java "$here/bench/GenPipeline.java" 10000 >"$out/c.pipe"
  read -r s m < <(measure "$fs" compile "$out/c.pipe" -o "$out/c.yaml")
  echo "| 10,000 generated steps | $s | $((m / 1024)) | $(wc -c <"$out/c.yaml") |"
  for f in "$here"/bench/*.pipe "$here"/examples/hello/hello.pipe; do
    [ -f "$f" ] || continue
    read -r s m < <(measure "$fs" compile "$f" -o "$out/x.yaml")
    echo "| $(realpath --relative-to="$here" "$f") | $s | $((m / 1024)) | $(wc -c <"$out/x.yaml") |"
  done
  echo
fi

if [ "$group" = all ] || [ "$group" = engine ]; then
  echo "## freestone run vs make -j2 (1 root, N independent \`true\` steps, 1 join)"
  echo
  echo "| N | make -j2 (s) | freestone run (s) | ratio | engine peak RSS (MB) | per-step overhead (ms) |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
  for n in 1000 10000; do
    mkdir -p "$out/f$n"
    java "$here/bench/GenFanout.java" "$n" >"$out/f$n/fanout.pipe"
    java "$here/bench/GenFanout.java" "$n" make >"$out/f$n/Makefile"
    read -r ms _ < <(measure make -s -j2 -C "$out/f$n")
    export FREESTONE_HOME="$out/home$n"
    read -r rs rm < <(measure "$fs" run "$out/f$n/fanout.pipe" --no-cache --progress none --parallelism 2)
    echo "| $n | $ms | $rs | $(awk "BEGIN{printf \"%.2f\", $rs / $ms}") | $((rm / 1024)) | $(awk "BEGIN{printf \"%.2f\", 1000 * $rs / ($n + 2)}") |"
  done
  echo
  # the fixed cost of a run: JVM start, parse, check, store, one step (a store that exists already)
  export FREESTONE_HOME="$out/home1"
  "$fs" run "$here/bench/one_step.pipe" --progress none >/dev/null 2>&1
  read -r os om < <(measure "$fs" run "$here/bench/one_step.pipe" --no-cache --progress none)
  echo "one-step run (bench/one_step.pipe, existing store): $os s, peak RSS $((om / 1024)) MB"
  echo
fi

if [ "$group" = all ] || [ "$group" = cache ]; then
  echo "## freestone run and the cache (1 root, 2,000 steps with distinct inputs, 1 join)"
  echo
  echo "| first run, all miss, --explain-cache (s) | second run, all cached (s) | component changed, all miss, --explain-cache (s) |"
  echo "| ---: | ---: | ---: |"
  java "$here/bench/GenFanout.java" 2000 distinct >"$out/cache.pipe"
  sed 's/command = \["true"\]/command = ["true", "changed"]/' "$out/cache.pipe" >"$out/cache-changed.pipe"
  best1="" best2="" best3=""
  for _ in 1 2 3; do
    # each round on a fresh store: the same three runs in the same order
    export FREESTONE_HOME="$out/cache-home-$RANDOM$RANDOM"
    t() { /usr/bin/time -f "%e" -o "$out/t" "$@" >"$out/stdout" 2>"$out/stderr" || { cat "$out/stderr" >&2; return 1; }; cat "$out/t"; }
    a=$(t "$fs" run "$out/cache.pipe" --progress none --explain-cache)
    b=$(t "$fs" run "$out/cache.pipe" --progress none)
    c=$(t "$fs" run "$out/cache-changed.pipe" --progress none --explain-cache)
    best1=$(awk -v x="$a" -v y="$best1" 'BEGIN{print (y == "" || x < y) ? x : y}')
    best2=$(awk -v x="$b" -v y="$best2" 'BEGIN{print (y == "" || x < y) ? x : y}')
    best3=$(awk -v x="$c" -v y="$best3" 'BEGIN{print (y == "" || x < y) ? x : y}')
  done
  echo "| $best1 | $best2 | $best3 |"
  echo
fi

if [ "$group" = all ] || [ "$group" = lsp ]; then
  echo "## freestone lsp: didChange to publishDiagnostics, warm (bench/LspLatency.java)"
  echo
  echo "| lines | debounce (ms) | edits | min (ms) | median (ms) | p90 (ms) | max (ms) |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  (cd "$here" && java -cp "$jar" bench/LspLatency.java --markdown)
  (cd "$here" && java -cp "$jar" bench/LspLatency.java --markdown --debounce 0)
  # a short file whose checks read a standard module and a 430-line local one (kept parsed between checks)
  (cd "$here" && java -cp "$jar" bench/LspLatency.java --markdown --imports)
  echo
fi

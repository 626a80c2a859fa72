#!/usr/bin/env bash
# Compares builds of Freestone on one pipeline, alternating them run by run, so that the machine's drift
# (about 5% over an hour here) falls on all of them alike. Each jar gets its own class-data archive, made
# as bin/freestone makes it, and its own store.
#   bench/ab.sh PIPE ROUNDS JAR...      e.g. bench/ab.sh fanout.pipe 8 old.jar target/freestone.jar
# Prints, per jar, the mean wall time of `run PIPE --no-cache --parallelism 2` and every run's time (ms).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pipe=$1 rounds=$2
shift 2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
i=0
for jar in "$@"; do
  i=$((i + 1))
  FREESTONE_HOME="$work/train$i" java "${opts[@]}" -XX:ArchiveClassesAtExit="$work/$i.jsa" -jar "$jar" \
    run "$here/examples/hello/hello.pipe" --progress none >/dev/null 2>&1
done
for _ in $(seq "$rounds"); do
  i=0
  for jar in "$@"; do
    i=$((i + 1))
    s=$(date +%s%N)
    FREESTONE_HOME="$work/home$i" java -XX:SharedArchiveFile="$work/$i.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
      "${opts[@]}" -jar "$jar" run "$pipe" --no-cache --parallelism 2 --progress none >/dev/null 2>&1
    e=$(date +%s%N)
    echo "$jar $(((e - s) / 1000000))"
  done
done | awk '{n[$1]++; t[$1]+=$2; v[$1]=v[$1]" "$2} END {for (k in n) print k, "mean", int(t[k]/n[k]), "ms:" v[k]}'

#!/usr/bin/env bash
# Measures the hub's heap cost of idle SSE subscribers, on loopback only.
# Usage: scripts/sse-idle-heap.sh [jar] [subscribers=1000] [port=3399]
# Needs java (jcmd), curl and python3. Starts the jar, opens N idle /rooms/{code}/events streams, compares the used
# heap after a full GC with and without them, then stops everything it started (by PID).
set -euo pipefail
JAR=${1:-target/gambiarra-0.1.0-SNAPSHOT.jar}
N=${2:-1000}
PORT=${3:-3399}
HUB=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
HUB_PID=""
CLIENT_PID=""
cleanup() {
	[[ -n "$CLIENT_PID" ]] && kill "$CLIENT_PID" 2>/dev/null || true
	[[ -n "$HUB_PID" ]] && kill "$HUB_PID" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

java -Xmx256m -Dserver.port="$PORT" -Dserver.address=127.0.0.1 -Dgambiarra.events.max-subscribers=$((N + 10)) \
	-jar "$JAR" >"$WORK/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 120); do curl -fs "$HUB/health" >/dev/null && break; sleep 1; done
CODE=$(curl -fs -X POST "$HUB/rooms" -H 'Content-Type: application/json' -d '{"name":"watchers"}' \
	| python3 -c 'import json,sys; print(json.load(sys.stdin)["room"]["code"])')

used_heap() {
	jcmd "$HUB_PID" GC.run >/dev/null
	jcmd "$HUB_PID" GC.run >/dev/null
	jcmd "$HUB_PID" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1
}

cat >"$WORK/idle.py" <<'PY'
import asyncio, sys
n, port, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
async def one(ready):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    seen = b""
    while b"event:connected" not in seen:
        chunk = await reader.read(4096)
        if not chunk:
            raise SystemExit("stream closed early")
        seen += chunk
    ready.append(1)
    await asyncio.sleep(3600)
async def main():
    ready = []
    tasks = [asyncio.create_task(one(ready)) for _ in range(n)]
    while len(ready) < n:
        await asyncio.sleep(0.2)
    print("READY", flush=True)
    await asyncio.gather(*tasks)
asyncio.run(main())
PY

BEFORE=$(used_heap)
python3 "$WORK/idle.py" "$N" "$PORT" "/rooms/$CODE/events" >"$WORK/client.log" 2>&1 &
CLIENT_PID=$!
for _ in $(seq 1 120); do grep -q READY "$WORK/client.log" && break; sleep 1; done
grep -q READY "$WORK/client.log" || { echo "subscribers did not connect"; cat "$WORK/client.log"; exit 1; }
OPEN=$(curl -fs "$HUB/actuator/prometheus" | sed -n 's/^gambiarra_sse_subscribers \([0-9]*\).*/\1/p')
AFTER=$(used_heap)
echo "open SSE streams: $OPEN"
echo "heap used after full GC: ${BEFORE}K without, ${AFTER}K with $N idle subscribers"
echo "cost: $(( (AFTER - BEFORE) / 1024 )) MiB, about $(( (AFTER - BEFORE) * 1024 / N )) bytes per subscriber"

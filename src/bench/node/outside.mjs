// The hub's benchmark as a user meets it: the packaged jar started with `java -jar` (README) and with the Docker
// image's JVM flags, a Node mock upstream (upstream.mjs, one write per SSE chunk) and an undici keep-alive load
// generator in this process, DIRECT (client -> upstream) and VIA HUB (client -> hub room -> upstream) interleaved in
// the same run. Nothing on the measured path is our Java code but the hub itself.
//
//   node src/bench/node/outside.mjs <gambiarra.jar> [full|quick]
// Environment:
//   BENCH_CONFIGS   hub set-ups to run, in order (default "default,image"):
//                   default = `java -jar gambiarra.jar` with no flag (README), image = the Dockerfile's ENTRYPOINT
//                   flags and ENV (without its AOT cache, which only the image build makes)
//   BENCH_JAVA      the java binary (default: java on the PATH)
//   BENCH_SCENARIOS a comma list of scenario names to run (default: all four)
//   BENCH_UPSTREAM  "test-llm": the jar's own JVM test LLM as the upstream instead of the Node mock (what the
//                   JVM harness uses; for comparing the two set-ups)
//   BENCH_WARMUP_MS, BENCH_ROUNDS, BENCH_ROUND_MS  override the mode's warm-up, rounds and round length
//   BENCH_HUB_ARGS  extra --name=value arguments for the hub (e.g. --logging.level.dev.gambiarra.requests=warn)
//   BENCH_FLOOR     "off" skips the floor: nginx relaying the same requests in the same rounds, when nginx is
//                   installed (apt-get install nginx-light); what any reverse proxy costs here. "netty": the JVM
//                   floor instead, src/bench/java/NettyFloor.java (the barest relay on the jar's own Netty, in the
//                   same JVM with the first set-up's flags): what any JVM relay costs here; "reactor-netty": the
//                   same relay on Reactor Netty (the hub's transport without the hub); "reactor-server":
//                   Reactor Netty's server with the bare Netty client (what Reactor Netty's client and pool cost);
//                   "netty-server": the bare Netty server with Reactor Netty's client (what its server costs).
//                   "hub:CONFIG" (e.g. hub:image): a second hub, set up as CONFIG, in the same rounds as the first
//                   set-up's: a paired comparison of two set-ups; "hub:CONFIG@other.jar" the same for two builds
//   BENCH_JAVA_OPTS extra JVM flags for the hub, after the set-up's own (e.g. -XX:StartFlightRecording=...)
// Writes the table to stdout and everything to target/bench/outside.json; exits 1 if any response was wrong.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, openSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request as undiciRequest } from 'undici';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const jar = process.argv[2] && path.resolve(process.argv[2]);
const mode = process.argv[3] ?? 'full';
if (!jar) {
	console.error('usage: node outside.mjs <gambiarra.jar> [full|quick]');
	process.exit(2);
}
const quick = mode === 'quick';
const CHUNKS = 64;
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings = {
	warmupMs: env('BENCH_WARMUP_MS', quick ? 15_000 : 60_000),
	// Short rounds, many of them, DIRECT and VIA in turn: a shared machine's noise falls on both alike.
	rounds: env('BENCH_ROUNDS', quick ? 4 : 10),
	roundMs: env('BENCH_ROUND_MS', quick ? 1_500 : 2_000),
	coldRequests: 1_000,
};
const SCENARIOS = [
	{ name: 'non-stream c=1', c: 1, stream: false },
	{ name: 'stream 64 chunks c=1', c: 1, stream: true },
	{ name: 'stream 64 chunks c=64', c: 64, stream: true },
	{ name: 'non-stream c=256', c: 256, stream: false },
].filter((s) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(',').includes(s.name));
const configs = (process.env.BENCH_CONFIGS ?? 'default,image').split(',').filter(Boolean);
const java = process.env.BENCH_JAVA ?? 'java';
const outDir = path.join(root, 'target', 'bench');
mkdirSync(outDir, { recursive: true });

/** The Docker image's JVM flags (its ENTRYPOINT, without the AOT cache) and its GAMBIARRA_ environment. */
function imageSetup() {
	const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
	const entry = dockerfile.slice(dockerfile.lastIndexOf('ENTRYPOINT'));
	const flags = [...entry.matchAll(/"(-X[^"]+)"/g)].map((m) => m[1]).filter((f) => !f.includes('SharedArchiveFile'));
	const env = {};
	for (const m of dockerfile.matchAll(/^\s*(?:ENV\s+)?(GAMBIARRA_[A-Z_]+|SPRING_[A-Z_]+|LOGGING_[A-Z_]+)=(\S+?)\s*\\?$/gm)) {
		env[m[1]] = m[2];
	}
	delete env.GAMBIARRA_CONSOLE_ENABLED;
	delete env.GAMBIARRA_DEMO_ENABLED;
	return { flags, env };
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a server on 127.0.0.1:port answers `GET /v1/models` with a 200 within `attempts` tries `pauseMs` apart. */
async function answersModels(port, attempts, pauseMs) {
	for (let i = 0; i < attempts; i++) {
		try {
			const res = await undiciRequest(`http://127.0.0.1:${port}/v1/models`);
			await res.body.dump();
			if (res.statusCode === 200) return true;
		}
		catch { /* not yet */ }
		await sleep(pauseMs);
	}
	return false;
}

/** The participant's heartbeat, as the original's clients send it (every 10 s; offline after 30 s without). */
function heartbeat(hub, code) {
	return setInterval(() => json('POST', `${hub.origin}/rooms/${code}/health`, { id: 'bench-upstream' })
		.catch((ex) => console.error(`heartbeat to ${hub.origin} failed:`, ex.message)), 10_000);
}

/** The JVM test LLM as the upstream instead (BENCH_UPSTREAM=test-llm): what the project's own benchmark used. */
async function startTestLlm() {
	const port = await freePort();
	const child = spawn(java, ['-jar', jar, 'test-llm', '--port', String(port), '--models', 'bench-model', '--chunks',
		String(CHUNKS)], { stdio: 'ignore' });
	if (await answersModels(port, 600, 100)) return { child, port };
	throw new Error('test LLM did not start');
}

function startUpstream() {
	if (process.env.BENCH_UPSTREAM === 'test-llm') return startTestLlm();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(here, 'upstream.mjs'), '--chunks', String(CHUNKS)],
			{ stdio: ['ignore', 'pipe', 'inherit'] });
		child.once('error', reject);
		child.stdout.once('data', (line) => resolve({ child, port: JSON.parse(line.toString()).port }));
	});
}

async function startHub(config, logName = `outside-hub-${configs.indexOf(config)}.log`, hubJar = jar) {
	const port = await freePort();
	// "image+--name=value+-Xflag": a set-up with more hub arguments / JVM flags, for A/B runs of one change.
	const [base, ...more] = config.split('+');
	const setup = base === 'image' ? imageSetup() : { flags: [], env: {} };
	setup.flags.push(...more.filter((arg) => !arg.startsWith('--')));
	const extra = [...(process.env.BENCH_HUB_ARGS ?? '').split(' ').filter(Boolean),
		...more.filter((arg) => arg.startsWith('--'))];
	const javaOpts = (process.env.BENCH_JAVA_OPTS ?? '').split(' ').filter(Boolean);
	const args = [...setup.flags, ...javaOpts, '-jar', hubJar, `--server.port=${port}`, '--server.address=127.0.0.1',
		'--gambiarra.demo.enabled=false', '--gambiarra.console.enabled=false', ...extra];
	// The hub's stdout goes through a pipe to another process that writes it down, as a container runtime's log
	// driver or a terminal reads it: each line the hub logs costs what it costs users.
	const log = openSync(path.join(outDir, logName), 'w');
	const reader = spawn('cat', [], { stdio: ['pipe', log, log] });
	const started = performance.now();
	const child = spawn(java, args, { cwd: outDir, stdio: ['ignore', reader.stdin, reader.stdin],
		env: { ...process.env, ...setup.env } });
	child.once('exit', () => reader.stdin.end());
	const origin = `http://127.0.0.1:${port}`;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}, see ${outDir}/${logName}`);
		try {
			const res = await undiciRequest(origin + '/health');
			await res.body.dump();
			if (res.statusCode === 200) break;
		}
		catch { /* not listening yet */ }
		if (performance.now() - started > 120_000) throw new Error('hub did not start within 120 s');
		await sleep(50);
	}
	return { child, origin, config, flags: setup.flags, startupMs: performance.now() - started };
}

async function json(method, url, body) {
	const res = await undiciRequest(url, { method, headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.body.text();
	if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${text}`);
	return JSON.parse(text);
}

/** A room with the upstream joined as the original's clients join: no maxConcurrent, no extras. */
async function joinRoom(hub, upstreamPort) {
	const { room } = await json('POST', hub.origin + '/rooms', { name: 'bench' });
	await json('POST', `${hub.origin}/rooms/${room.code}/join`, { id: 'bench-upstream', nickname: 'bench',
		model: 'bench-model', endpoint: `http://127.0.0.1:${upstreamPort}` });
	return room.code;
}

/** User and system CPU time of a process so far, in clock ticks (1/100 s). */
function cpuTicks(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return { user: Number(fields[11]), sys: Number(fields[12]) };
}

/** CPU ticks per thread name (digits folded: "reactor-http-epoll-1" and "-2" count together). */
function threadTicks(pid) {
	const byName = {};
	for (const task of readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
			const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+/g, 'N');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			byName[name] = (byName[name] ?? 0) + Number(fields[11]) + Number(fields[12]);
		}
		catch { /* the thread ended */ }
	}
	return byName;
}

function peakRssMiB(pid) {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM'));
	return Number(line.split(/\s+/)[1]) / 1024;
}

function payload(stream) {
	return JSON.stringify({ model: 'bench-model', stream,
		messages: [{ role: 'user', content: 'Say something sixty-four tokens long.' }] });
}

/** A target: one keep-alive pool per concurrency, reused across rounds as a long-running client would. */
class Target {

	constructor(name, origin, pathname) {
		this.name = name;
		this.origin = origin;
		this.path = pathname;
		this.pools = new Map();
	}

	pool(c) {
		if (!this.pools.has(c)) {
			this.pools.set(c, new Pool(this.origin, { connections: c, pipelining: 1, keepAliveTimeout: 600_000,
				keepAliveMaxTimeout: 600_000, headersTimeout: 60_000, bodyTimeout: 60_000 }));
		}
		return this.pools.get(c);
	}

	async close() {
		await Promise.all([...this.pools.values()].map((p) => p.close()));
	}

}

function check(scenario, status, text) {
	if (status !== 200) return `status ${status}: ${text.slice(0, 200)}`;
	const testLlm = process.env.BENCH_UPSTREAM === 'test-llm';
	if (scenario.stream) {
		const events = text.split('\n\n').filter(Boolean);
		if (testLlm ? events.length < CHUNKS + 1 : events.length !== CHUNKS + 2) return `${events.length} events, expected ${CHUNKS + 2}`;
		if (events[events.length - 1] !== 'data: [DONE]') return 'no [DONE] at the end';
		return null;
	}
	const body = JSON.parse(text);
	if (testLlm) return body.usage ? null : 'no usage';
	return body.usage?.completion_tokens === CHUNKS ? null : 'no usage';
}

/** Requests back to back from c clients, for durationMs or until count requests were made. */
async function drive(target, scenario, { durationMs = Infinity, count = Infinity }) {
	const pool = target.pool(scenario.c);
	const body = payload(scenario.stream);
	const totals = [];
	const firsts = [];
	const errors = [];
	const started = performance.now();
	const end = started + durationMs;
	let issued = 0;
	async function client() {
		while (performance.now() < end && issued < count) {
			issued++;
			const t0 = performance.now();
			let first = 0;
			try {
				const res = await pool.request({ path: target.path, method: 'POST', body,
					headers: { 'content-type': 'application/json' } });
				let text = '';
				for await (const part of res.body) {
					if (first === 0) first = performance.now();
					text += part;
				}
				const t1 = performance.now();
				const problem = check(scenario, res.statusCode, text);
				if (problem) errors.push(problem);
				else {
					totals.push(t1 - t0);
					firsts.push(first - t0);
				}
			}
			catch (ex) {
				errors.push(String(ex.message ?? ex));
			}
		}
	}
	await Promise.all(Array.from({ length: scenario.c }, client));
	return { totals, firsts, errors, elapsedMs: performance.now() - started };
}

function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summary(samples) {
	const totals = samples.flatMap((s) => s.totals).sort((a, b) => a - b);
	const firsts = samples.flatMap((s) => s.firsts).sort((a, b) => a - b);
	const elapsed = samples.reduce((sum, s) => sum + s.elapsedMs, 0);
	return {
		requests: totals.length,
		errors: samples.reduce((sum, s) => sum + s.errors.length, 0),
		firstErrors: [...new Set(samples.flatMap((s) => s.errors))].slice(0, 3),
		p50: percentile(totals, 0.5), p99: percentile(totals, 0.99),
		mean: totals.reduce((a, b) => a + b, 0) / Math.max(1, totals.length),
		firstP50: percentile(firsts, 0.5),
		rps: totals.length / (elapsed / 1000),
	};
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function runConfig(config, upstreamPort, direct, floor) {
	const hub = await startHub(config);
	console.log(`\n== hub: ${config} (${hub.flags.join(' ') || 'no JVM flags'}), started in ${fmt(hub.startupMs / 1000, 1)} s`);
	const code = await joinRoom(hub, upstreamPort);
	const beating = heartbeat(hub, code);
	const via = new Target('VIA', hub.origin, `/rooms/${code}/v1/chat/completions`);
	const result = { config, flags: hub.flags, startupMs: hub.startupMs, scenarios: {} };
	try {
		// The first requests after start, on a cold JIT, against the same scenario once warm (below).
		const cold = { stream: false, c: 1 };
		const coldThreads = threadTicks(hub.child.pid);
		const coldSamples = await drive(via, cold, { count: settings.coldRequests });
		if (process.env.BENCH_THREADS) {
			const spent = Object.entries(threadTicks(hub.child.pid)).map(([name, t]) => [name, (t - (coldThreads[name] ?? 0)) * 10])
				.filter(([, ms]) => ms > 0).sort((x, y) => y[1] - x[1]);
			console.log('  cold non-stream: hub CPU ms by thread:', Object.fromEntries(spent));
		}
		const coldRun = summary([coldSamples]);
		coldRun.meanByHundred = Array.from({ length: Math.ceil(coldSamples.totals.length / 100) }, (_, i) => {
			const part = coldSamples.totals.slice(i * 100, i * 100 + 100);
			return Number((part.reduce((a, b) => a + b, 0) / part.length).toFixed(2));
		});
		if (process.env.BENCH_THREADS) console.log('  cold non-stream mean ms by hundred:', coldRun.meanByHundred.join(' '));
		const coldStream = summary([await drive(via, { stream: true, c: 1 }, { count: settings.coldRequests })]);
		const warmupEnd = performance.now() + settings.warmupMs;
		const warm = [{ stream: true, c: 64 }, { stream: false, c: 256 }, { stream: true, c: 1 }, { stream: false, c: 1 }];
		for (let i = 0; performance.now() < warmupEnd; i++) {
			const scenario = warm[i % warm.length];
			await drive(via, scenario, { durationMs: 2_500 });
			await drive(direct, scenario, { durationMs: 500 });
			// A JVM floor needs its JIT warm too (nginx does not mind); a second hub as much as the first.
			if (floor && floorPid) await drive(floor, scenario, { durationMs: floorProxy.path ? 2_500 : 1_000 });
		}
		for (const scenario of SCENARIOS) {
			const runs = { DIRECT: [], VIA: [], FLOOR: [] };
			let floorTicks = 0;
			const ticks = { user: 0, sys: 0 };
			const threads = {};
			for (let round = 0; round < settings.rounds; round++) {
				// Each target first in turn and last in turn: none always follows the same one.
				const order = [[direct, via, floor], [via, floor, direct], [floor, direct, via]][round % 3]
					.filter(Boolean);
				for (const target of order) {
					const before = cpuTicks(hub.child.pid);
					const threadsBefore = threadTicks(hub.child.pid);
					const floorBefore = (target === floor && floorPid) ? cpuTicks(floorPid) : null;
					runs[target.name].push(await drive(target, scenario, { durationMs: settings.roundMs }));
					if (floorBefore) {
						const after = cpuTicks(floorPid);
						floorTicks += after.user - floorBefore.user + after.sys - floorBefore.sys;
					}
					if (target === via) {
						for (const [name, t] of Object.entries(threadTicks(hub.child.pid))) {
							threads[name] = (threads[name] ?? 0) + t - (threadsBefore[name] ?? 0);
						}
						const after = cpuTicks(hub.child.pid);
						ticks.user += after.user - before.user;
						ticks.sys += after.sys - before.sys;
					}
				}
			}
			const d = summary(runs.DIRECT);
			const v = summary(runs.VIA);
			v.hubCpuMsPerRequest = ((ticks.user + ticks.sys) * 10) / Math.max(1, v.requests);
			v.hubSysMsPerRequest = (ticks.sys * 10) / Math.max(1, v.requests);
			v.hubThreadsMs = Object.fromEntries(Object.entries(threads).filter(([, t]) => t > 0)
				.sort((a, b) => b[1] - a[1]).map(([name, t]) => [name, t * 10]));
			if (process.env.BENCH_THREADS) console.log(`  ${scenario.name}: hub CPU ms by thread over the VIA rounds:`, v.hubThreadsMs);
			const f = floor ? summary(runs.FLOOR) : null;
			if (f && floorPid) f.cpuMsPerRequest = floorTicks * 10 / runs.FLOOR.reduce((n, r) => n + r.totals.length, 0);
			result.scenarios[scenario.name] = { direct: d, via: v, latencyRatio: v.p50 / d.p50, throughputRatio: v.rps / d.rps,
				floor: f && { ...f, latencyRatio: f.p50 / d.p50, throughputRatio: f.rps / d.rps } };
		}
		const steady = result.scenarios['non-stream c=1']?.via;
		const steadyStream = result.scenarios['stream 64 chunks c=1']?.via;
		result.cold = {
			nonStream: { ...coldRun, vsSteadyMean: steady ? coldRun.mean / steady.mean : NaN },
			stream: { ...coldStream, vsSteadyMean: steadyStream ? coldStream.mean / steadyStream.mean : NaN },
		};
		result.peakRssMiB = peakRssMiB(hub.child.pid);
	}
	finally {
		clearInterval(beating);
		await via.close();
		hub.child.kill('SIGTERM');
		await new Promise((resolve) => (hub.child.exitCode !== null ? resolve() : hub.child.once('exit', resolve)));
	}
	return result;
}

function print(result) {
	console.log(`| scenario | DIRECT p50 / p99 ms | VIA p50 / p99 ms | latency VIA/DIRECT | DIRECT req/s | VIA req/s | throughput VIA/DIRECT | hub CPU ms/req (sys) | errors | floor (${floorName}): latency, throughput${floorPid ? ', CPU ms/req' : ''} |`);
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	for (const [name, s] of Object.entries(result.scenarios)) {
		console.log(`| ${name} | ${fmt(s.direct.p50)} / ${fmt(s.direct.p99)} | ${fmt(s.via.p50)} / ${fmt(s.via.p99)} | ×${fmt(s.latencyRatio)} | ${fmt(s.direct.rps, 0)} | ${fmt(s.via.rps, 0)} | ×${fmt(s.throughputRatio)} | ${fmt(s.via.hubCpuMsPerRequest)} (${fmt(s.via.hubSysMsPerRequest)}) | ${s.direct.errors + s.via.errors} | ${s.floor ? `×${fmt(s.floor.latencyRatio)}, ×${fmt(s.floor.throughputRatio)}${floorPid ? `, ${fmt(s.floor.cpuMsPerRequest)}` : ''}` : '-'} |`);
	}
	if (floorProxy?.path) {
		console.log(`| scenario | VIA (${result.config}) vs FLOOR (${floorName}), same rounds: p50 latency; req/s; hub CPU per request |`);
		console.log('|---|---|');
		for (const [name, s] of Object.entries(result.scenarios)) {
			console.log(`| ${name} | ×${fmt(s.via.p50 / s.floor.p50)}; ×${fmt(s.via.rps / s.floor.rps)}; ×${fmt(s.via.hubCpuMsPerRequest / s.floor.cpuMsPerRequest)} |`);
		}
	}
	if (result.cold) {
		console.log(`first ${settings.coldRequests} requests after start: non-stream mean ${fmt(result.cold.nonStream.mean)} ms (×${fmt(result.cold.nonStream.vsSteadyMean)} of steady), stream mean ${fmt(result.cold.stream.mean)} ms (×${fmt(result.cold.stream.vsSteadyMean)} of steady); peak RSS ${fmt(result.peakRssMiB, 0)} MiB`);
	}
}

/**
 * The floor: nginx (C, one worker, keep-alive to the upstream, no buffering, no access log) relaying the same
 * requests, measured in the same rounds. What any reverse proxy costs on this machine, not a target of ours.
 */
async function startFloor(upstreamPort) {
	if (process.env.BENCH_FLOOR?.startsWith('hub:')) return startHubFloor(upstreamPort, process.env.BENCH_FLOOR.slice(4));
	const jvmFloors = { netty: [], 'reactor-netty': ['reactor'], 'reactor-server': ['reactor-server'], 'netty-server': ['netty-server'] };
	if (jvmFloors[process.env.BENCH_FLOOR]) return startNettyFloor(upstreamPort, jvmFloors[process.env.BENCH_FLOOR]);
	const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => {
		try {
			readFileSync(candidate);
			return true;
		}
		catch {
			return false;
		}
	});
	if (!nginx || process.env.BENCH_FLOOR === 'off') return null;
	const port = await freePort();
	const dir = path.join(outDir, 'nginx');
	mkdirSync(path.join(dir, 'logs'), { recursive: true });
	writeFileSync(path.join(dir, 'nginx.conf'), `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path ${dir}/body;
	proxy_temp_path ${dir}/proxy;
	upstream llm { server 127.0.0.1:${upstreamPort}; keepalive 512; }
	server {
		listen 127.0.0.1:${port};
		location / {
			proxy_pass http://llm;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_buffering off;
		}
	}
}
`);
	const child = spawn(nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
	if (await answersModels(port, 100, 50)) return { child, origin: `http://127.0.0.1:${port}` };
	child.kill('SIGTERM');
	return null;
}

/**
 * The JVM floor (BENCH_FLOOR=netty): `src/bench/java/NettyFloor.java`, the barest relay on the hub's own Netty and
 * JVM (the jar's Netty, extracted with the jar's own tools), with the same JVM flags as the first set-up.
 */
async function startNettyFloor(upstreamPort, mode) {
	const dir = path.join(outDir, 'netty-floor');
	const extract = spawn(java, ['-Djarmode=tools', '-jar', jar, 'extract', '--force', '--destination', dir],
		{ stdio: 'ignore' });
	const code = await new Promise((resolve) => extract.on('exit', resolve));
	if (code !== 0) throw new Error(`extracting the jar's libraries failed (${code})`);
	const port = await freePort();
	const first = configs[0].split('+')[0] === 'image' ? imageSetup().flags : [];
	// One Reactor Netty event loop per core, as the hub sets it (Reactor's own default is at least four).
	const loops = `-Dreactor.netty.ioWorkerCount=${availableParallelism()}`;
	const child = spawn(java, [...first, loops, '-cp', path.join(dir, 'lib', '*'), path.join(root, 'src', 'bench', 'java',
		'NettyFloor.java'), String(port), String(upstreamPort), ...mode],
		{ stdio: ['ignore', 'ignore', 'inherit'] });
	if (await answersModels(port, 300, 100)) return { child, origin: `http://127.0.0.1:${port}`, pid: child.pid };
	child.kill('SIGTERM');
	throw new Error('the Netty floor did not start');
}

/**
 * A second hub as the floor (BENCH_FLOOR=hub:image, hub:default, hub:image+-Xflag …, and hub:default@other.jar for
 * another build), in the same rounds as the first set-up's: two set-ups or two builds compared in pairs, minutes of
 * machine drift apart no longer.
 */
async function startHubFloor(upstreamPort, spec) {
	const [config, otherJar] = spec.split('@');
	const hub = await startHub(config, 'outside-hub-floor.log', otherJar ? path.resolve(otherJar) : jar);
	const code = await joinRoom(hub, upstreamPort);
	const beating = heartbeat(hub, code);
	hub.child.once('exit', () => clearInterval(beating));
	return { child: hub.child, origin: hub.origin, pid: hub.child.pid, path: `/rooms/${code}/v1/chat/completions`,
		name: `hub ${config}${otherJar ? ` of ${path.basename(otherJar)}` : ''}` };
}

const upstream = await startUpstream();
const floorProxy = await startFloor(upstream.port);
const floor = floorProxy && new Target('FLOOR', floorProxy.origin, floorProxy.path ?? '/v1/chat/completions');
const floorPid = floorProxy?.pid;
const floorName = floorProxy?.name ?? { netty: 'Netty', 'reactor-netty': 'Reactor Netty', 'reactor-server': 'Reactor Netty server, Netty client', 'netty-server': 'Netty server, Reactor Netty client' }[process.env.BENCH_FLOOR] ?? 'nginx';
const direct = new Target('DIRECT', `http://127.0.0.1:${upstream.port}`, '/v1/chat/completions');
const results = [];
let failed = false;
try {
	console.log(`outside benchmark (${mode}): node ${process.version}, undici keep-alive client, ${CHUNKS} chunks per stream, one write each; ${settings.rounds} x ${settings.roundMs / 1000} s each way after ${settings.warmupMs / 1000} s warm-up`);
	// The mock upstream and this load generator run on V8, which has a cold JIT of its own: warm both up DIRECT
	// before the first hub starts, so the hub's first requests (measured right after its start) are the only cold
	// part of that measure, for the first set-up as for the next ones.
	for (const scenario of [{ stream: false, c: 1 }, { stream: true, c: 1 }, { stream: true, c: 64 }, { stream: false, c: 256 }]) {
		await drive(direct, scenario, { durationMs: quick ? 1_500 : 3_000 });
	}
	for (const config of configs) {
		const result = await runConfig(config, upstream.port, direct, floor);
		results.push(result);
		print(result);
		for (const s of Object.values(result.scenarios)) {
			if (s.direct.errors + s.via.errors + (s.floor?.errors ?? 0) > 0) {
				failed = true;
				console.log('errors:', s.direct.firstErrors, s.via.firstErrors);
			}
		}
	}
	if (results.length === 2) {
		console.log('\n| scenario | default java -jar vs image flags (VIA p50; req/s) |');
		console.log('|---|---|');
		for (const name of Object.keys(results[0].scenarios)) {
			const a = results[0].scenarios[name].via;
			const b = results[1].scenarios[name]?.via;
			if (b) console.log(`| ${name} | ×${fmt(a.p50 / b.p50)} latency, ×${fmt(a.rps / b.rps)} throughput |`);
		}
	}
}
finally {
	await direct.close();
	if (floor) {
		await floor.close();
		floorProxy.child.kill('SIGTERM');
	}
	upstream.child.kill('SIGTERM');
}
writeFileSync(path.join(outDir, 'outside.json'), JSON.stringify({ mode, settings, results }, null, 2));
process.exit(failed ? 1 : 0);

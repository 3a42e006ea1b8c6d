// A mock OpenAI-compatible LLM server in Node, for the benchmark: not our code's runtime, and one socket write per
// SSE chunk (res.write per event), as real servers that flush every token do.
//
//   node upstream.mjs [--port 0] [--chunks 64]
// Prints {"port":N} on its first stdout line once it listens on 127.0.0.1.
//
// POST /v1/chat/completions  {"stream":true}  -> 200 text/event-stream: CHUNKS content events, a usage event,
//                                                 data: [DONE]; every event its own write
//                            {"stream":false} -> 200 application/json, one completion with usage
// GET  /v1/models                             -> the one model
import http from 'node:http';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
	if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
	return pairs;
}, []));
const port = Number(args.port ?? 0);
const chunks = Number(args.chunks ?? 64);
const model = 'bench-model';

function chunk(index, created) {
	return 'data: ' + JSON.stringify({
		id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model,
		choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content: 'tok0 ' } : { content: `tok${index} ` },
			finish_reason: null }],
	}) + '\n\n';
}

function usageChunk(created) {
	return 'data: ' + JSON.stringify({
		id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model,
		choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
		usage: { prompt_tokens: 8, completion_tokens: chunks, total_tokens: 8 + chunks },
	}) + '\n\n';
}

function completion(created) {
	let content = '';
	for (let i = 0; i < chunks; i++) content += `tok${i} `;
	return JSON.stringify({
		id: 'chatcmpl-bench', object: 'chat.completion', created, model,
		choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
		usage: { prompt_tokens: 8, completion_tokens: chunks, total_tokens: 8 + chunks },
	});
}

const server = http.createServer((req, res) => {
	const parts = [];
	req.on('data', (part) => parts.push(part));
	req.on('end', () => {
		if (req.method === 'GET' && req.url === '/v1/models') {
			const body = JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', owned_by: 'bench' }] });
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
			res.end(body);
			return;
		}
		if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end('{"error":{"message":"not found"}}');
			return;
		}
		let request;
		try {
			request = JSON.parse(Buffer.concat(parts).toString('utf8'));
		}
		catch {
			res.writeHead(400, { 'content-type': 'application/json' });
			res.end('{"error":{"message":"bad json"}}');
			return;
		}
		const created = Math.floor(Date.now() / 1000);
		if (request.stream) {
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			res.flushHeaders();
			for (let i = 0; i < chunks; i++) res.write(chunk(i, created));
			res.write(usageChunk(created));
			res.end('data: [DONE]\n\n');
		}
		else {
			const body = completion(created);
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
			res.end(body);
		}
	});
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(port, '127.0.0.1', () => {
	process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

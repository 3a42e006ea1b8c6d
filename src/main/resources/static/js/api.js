// The hub's HTTP API as the dashboard uses it. Secrets (room passwords, host ids, the admin token) travel only in
// the Authorization header, never in a URL.

export class ApiError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/** Calls the hub and returns the parsed JSON body; non-2xx answers throw an ApiError with the hub's message. */
export async function api(path, { method = 'GET', body, bearer, signal } = {}) {
	const headers = { Accept: 'application/json' };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
	}
	if (bearer) {
		headers.Authorization = `Bearer ${bearer}`;
	}
	const response = await fetch(path, {
		method, headers, signal, cache: 'no-store',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json = null;
	try {
		json = text ? JSON.parse(text) : null;
	}
	catch {
		json = null;
	}
	if (!response.ok) {
		throw new ApiError(response.status, errorMessage(json) || `HTTP ${response.status}`);
	}
	return json;
}

/** Both error shapes of the hub: {"error":"msg"} and the OpenAI envelope {"error":{"message":...}}. */
export function errorMessage(json) {
	const error = json && json.error;
	if (typeof error === 'string') {
		return error;
	}
	return (error && typeof error.message === 'string') ? error.message : '';
}

/** Splits a text/event-stream body into {event, data} frames; comments (heartbeats) call onActivity only. */
export async function readEventStream(body, onFrame, onActivity = () => {}) {
	const reader = body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) {
			return;
		}
		onActivity();
		buffer += value.replace(/\r\n?/g, '\n');
		let end;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			const frame = parseFrame(block);
			if (frame) {
				onFrame(frame);
			}
		}
		if (buffer.length > 1_000_000) {
			throw new Error('event too large');
		}
	}
}

function parseFrame(block) {
	let event = 'message';
	const data = [];
	for (const line of block.split('\n')) {
		if (line === '' || line.startsWith(':')) {
			continue;
		}
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) {
			value = value.slice(1);
		}
		if (field === 'event') {
			event = value;
		}
		else if (field === 'data') {
			data.push(value);
		}
	}
	return data.length ? { event, data: data.join('\n') } : null;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

/**
 * A live SSE subscription read with fetch streaming (so it can carry an Authorization header), reconnecting with
 * backoff. onState(state, detail) gets 'connecting', 'live', 'disconnected' (detail = retry delay in ms),
 * 'unauthorized' or 'gone' (404: the room does not exist); the last two stop the subscription.
 */
export function subscribe(path, { bearer, onEvent, onState, idleMs = 45000 }) {
	let stopped = false;
	let controller = null;
	let attempt = 0;
	let timer = null;

	async function connectOnce() {
		controller = new AbortController();
		const headers = { Accept: 'text/event-stream' };
		if (bearer) {
			headers.Authorization = `Bearer ${bearer}`;
		}
		onState('connecting');
		let watchdog = null;
		const kick = () => {
			clearTimeout(watchdog);
			watchdog = setTimeout(() => controller.abort(), idleMs);
		};
		try {
			const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
			if (response.status === 401 || response.status === 403) {
				onState('unauthorized', await messageOf(response));
				return false;
			}
			if (response.status === 404) {
				onState('gone', await messageOf(response));
				return false;
			}
			if (!response.ok || !response.body) {
				throw new Error(`HTTP ${response.status}`);
			}
			kick();
			await readEventStream(response.body, (frame) => {
				if (frame.event === 'connected') {
					attempt = 0;
					onState('live');
				}
				let data = null;
				try {
					data = JSON.parse(frame.data);
				}
				catch {
					data = frame.data;
				}
				onEvent(frame.event, data);
			}, kick);
		}
		catch {
			// A refused connection, a dropped stream or the watchdog: all end in a retry below.
		}
		finally {
			clearTimeout(watchdog);
		}
		return true;
	}

	async function loop() {
		while (!stopped) {
			const retry = await connectOnce();
			if (!retry || stopped) {
				return;
			}
			const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
			const delay = Math.round(base * (0.8 + Math.random() * 0.4));
			attempt++;
			onState('disconnected', delay);
			await new Promise((resolve) => {
				timer = setTimeout(resolve, delay);
			});
		}
	}

	loop();
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
			if (controller) {
				controller.abort();
			}
		},
	};
}

async function messageOf(response) {
	try {
		return errorMessage(await response.json()) || `HTTP ${response.status}`;
	}
	catch {
		return `HTTP ${response.status}`;
	}
}

/**
 * Streams a chat completion; onDelta gets each piece of content as it arrives. Resolves with the whole text, throws
 * an ApiError for a non-2xx answer and an Error when the stream ends without [DONE].
 */
export async function streamChat(code, { model, prompt, bearer, signal, onDelta, requestId }) {
	const headers = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
	if (requestId) {
		headers['X-Request-Id'] = requestId;
	}
	if (bearer) {
		headers.Authorization = `Bearer ${bearer}`;
	}
	const response = await fetch(`/rooms/${encodeURIComponent(code)}/v1/chat/completions`, {
		method: 'POST', headers, signal, cache: 'no-store',
		body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: prompt }] }),
	});
	if (!response.ok) {
		throw new ApiError(response.status, await messageOf(response));
	}
	let text = '';
	let done = false;
	const type = response.headers.get('Content-Type') || '';
	if (!type.includes('text/event-stream')) {
		const json = await response.json();
		text = json?.choices?.[0]?.message?.content ?? '';
		onDelta(text);
		return text;
	}
	await readEventStream(response.body, (frame) => {
		if (frame.data === '[DONE]') {
			done = true;
			return;
		}
		let chunk;
		try {
			chunk = JSON.parse(frame.data);
		}
		catch {
			return;
		}
		const piece = chunk?.choices?.[0]?.delta?.content ?? chunk?.choices?.[0]?.text ?? '';
		if (piece) {
			text += piece;
			onDelta(piece);
		}
	});
	if (!done) {
		throw new Error('The answer stopped before it was complete');
	}
	return text;
}

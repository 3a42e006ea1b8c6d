// One room: participant cards with live status and metrics, the room's event log, and a "try it" chat box.
import { api, streamChat, subscribe } from './api.js';
import { forgetHost, hostSecret, roomPassword, rememberPassword } from './state.js';
import { $, copy, el, fmt, setConnection, sparkline } from './ui.js';

const LOG_LIMIT = 200;

const SPARK_POINTS = 30;

const STATS_INTERVAL_MS = 5000;

export function renderRoom(main, code) {
	main.append(document.getElementById('tpl-room').content.cloneNode(true));
	const participants = new Map();
	const metrics = new Map();
	let stats = null;
	let statsAvailable = true;
	let stream = null;
	let chat = null;
	let stopped = false;
	let renderQueued = false;
	let statsTimer = null;
	let isProtected = false;

	const baseUrl = `${location.origin}/rooms/${code}/v1`;
	$(main, '[data-room-code]').textContent = code;
	$(main, '[data-base-url]').value = baseUrl;
	const copied = $(main, '[data-copied]');
	$(main, '[data-copy="code"]').addEventListener('click', () => copy(code, copied));
	$(main, '[data-copy="url"]').addEventListener('click', () => copy(baseUrl, copied));
	setupClose();
	setupChat();

	$(main, '[data-password]').addEventListener('submit', (event) => {
		event.preventDefault();
		const input = event.currentTarget.elements.password;
		rememberPassword(code, input.value);
		input.value = '';
		enter();
	});

	start();

	async function start() {
		try {
			const { rooms } = await api('/rooms');
			const room = (rooms || []).find((candidate) => candidate.code === code);
			if (!room) {
				fail(`Room ${code} was not found. It may have been closed.`);
				setConnection('gone');
				return;
			}
			isProtected = Boolean(room.protected);
			$(main, '[data-room-name]').textContent = room.name;
			document.title = `${room.name} · Gambiarra hub`;
		}
		catch (error) {
			fail(`Could not reach the hub: ${error.message}`);
			return;
		}
		enter();
	}

	/** Loads the participants with the password we hold; a 401 asks for the password. */
	async function enter() {
		const error = $(main, '[data-password-error]');
		if (isProtected && !roomPassword(code)) {
			askPassword('');
			return;
		}
		let list;
		try {
			list = (await api(`/rooms/${code}/participants`, { bearer: roomPassword(code) })).participants || [];
		}
		catch (failure) {
			if (failure.status === 401) {
				askPassword(roomPassword(code) ? failure.message : '');
				return;
			}
			fail(failure.status === 404 ? `Room ${code} was not found.` : failure.message);
			return;
		}
		if (stopped) {
			return;
		}
		error.textContent = '';
		$(main, '[data-password-panel]').hidden = true;
		$(main, '[data-room-body]').hidden = false;
		replaceParticipants(list);
		connect();
		loadStats();
	}

	function askPassword(message) {
		rememberPassword(code, '');
		$(main, '[data-room-body]').hidden = true;
		$(main, '[data-password-panel]').hidden = false;
		$(main, '[data-password-error]').textContent = message;
		setConnection('unauthorized');
		$(main, '[data-password] input').focus();
	}

	function connect() {
		if (stream) {
			stream.stop();
		}
		stream = subscribe(`/rooms/${code}/events`, {
			bearer: roomPassword(code),
			onState(state, detail) {
				setConnection(state, detail);
				if (state === 'live') {
					resync();
				}
				else if (state === 'unauthorized') {
					stream.stop();
					enter();
				}
				else if (state === 'gone') {
					fail(`Room ${code} is closed.`);
				}
			},
			onEvent: handle,
		});
	}

	/** After a (re)connect we may have missed events: reload the participant list. */
	async function resync() {
		try {
			const { participants: list } = await api(`/rooms/${code}/participants`, { bearer: roomPassword(code) });
			replaceParticipants(list || []);
		}
		catch {
			// The stream itself reports what went wrong.
		}
	}

	function replaceParticipants(list) {
		participants.clear();
		for (const participant of list) {
			participants.set(participant.id, participant);
		}
		queueRender();
	}

	function metricsOf(id) {
		let entry = metrics.get(id);
		if (!entry) {
			entry = { inFlight: new Set(), completed: 0, errors: 0, ttft: [], tps: [] };
			metrics.set(id, entry);
		}
		return entry;
	}

	function handle(type, data) {
		if (type === 'connected') {
			return;
		}
		log(type, data);
		const id = data && (data.participantId || data.id);
		switch (type) {
			case 'participant:joined':
				participants.set(data.id, data);
				break;
			case 'participant:left':
			case 'participant:kicked':
				participants.delete(id);
				metrics.delete(id);
				break;
			case 'participant:offline':
			case 'participant:online':
			case 'participant:busy':
				setStatus(id, type.slice('participant:'.length));
				break;
			case 'llm:request':
				metricsOf(id).inFlight.add(data.requestId || `${Date.now()}`);
				break;
			case 'llm:complete': {
				const entry = metricsOf(id);
				forget(entry, data.requestId);
				entry.completed++;
				const m = data.metrics || {};
				pushBounded(entry.ttft, m.latencyFirstTokenMs);
				pushBounded(entry.tps, m.tokensPerSecond);
				scheduleStats();
				break;
			}
			case 'llm:error': {
				const entry = metricsOf(id);
				forget(entry, data.requestId);
				entry.errors++;
				scheduleStats();
				break;
			}
			case 'room:closed':
				fail(`Room ${code} was closed.`);
				setConnection('gone');
				break;
			default:
				break;
		}
		queueRender();
	}

	function setStatus(id, status) {
		const participant = participants.get(id);
		if (participant) {
			participants.set(id, { ...participant, status });
		}
	}

	function queueRender() {
		if (!renderQueued) {
			renderQueued = true;
			requestAnimationFrame(() => {
				renderQueued = false;
				if (!stopped) {
					renderCards();
					renderRoutes();
				}
			});
		}
	}

	function renderCards() {
		const list = [...participants.values()].sort((a, b) => a.joinedAt - b.joinedAt);
		$(main, '[data-cards]').replaceChildren(...list.map(card));
		$(main, '[data-cards-empty]').hidden = list.length > 0;
		const online = list.filter((p) => p.status !== 'offline').length;
		$(main, '[data-count]').textContent = list.length ? `(${online} of ${list.length} reachable)` : '';
	}

	function card(participant) {
		const local = metrics.get(participant.id);
		const remote = stats && stats.get(participant.id);
		// The hub's stats count since the participant joined; events seen here may be a poll ahead of them.
		const inFlight = Math.max(remote?.inFlight ?? 0, local?.inFlight.size ?? 0);
		const completed = Math.max(remote?.completed ?? 0, local?.completed ?? 0);
		const errors = Math.max(remote?.errors ?? 0, local?.errors ?? 0);
		const ttft = remote?.ttft ?? average(local?.ttft);
		const tps = remote?.tps ?? average(local?.tps);
		const specs = Object.entries(participant.specs || {})
			.filter(([, value]) => value !== null && value !== '')
			.map(([key, value]) => `${key.toUpperCase()} ${value}`).join(' · ');
		const host = hostSecret(code);
		// A participant behind NAT: the hub reaches it through the tunnel it opened (docs/tunnel-protocol.md).
		const tunnel = participant.endpoint === 'tunnel';
		return el('li', { class: 'card', 'data-participant': participant.id, 'data-status': participant.status,
			'data-tunnel': tunnel ? 'true' : 'false' },
			el('div', { class: 'card-head' },
				el('h3', { text: participant.nickname }),
				tunnel ? el('span', { class: 'tunnel-mark', text: 'tunnel',
					title: 'Behind NAT: served through the connection it opened to the hub' }) : null,
				el('span', { class: `badge st-${participant.status}`, text: participant.status })),
			el('p', { class: 'model' }, el('code', { text: participant.model })),
			el('p', { class: 'muted specs', text: specs || 'no specs shared' }),
			el('dl', { class: 'metrics' },
				metric('In flight', String(inFlight), 'inflight'),
				metric('Done / errors', `${completed} / ${errors}`, 'done'),
				metric('Avg TTFT', fmt(ttft, 0, ' ms'), 'ttft'),
				metric('Avg tokens/s', fmt(tps, 1), 'tps')),
			sparkline((local?.tps || []).slice(-SPARK_POINTS), { label: `${participant.nickname} throughput` }),
			host ? el('button', { type: 'button', class: 'small', text: 'Kick',
				'aria-label': `Kick ${participant.nickname}`, onclick: () => kick(participant.id) }) : null);
	}

	function metric(label, value, key) {
		return el('div', {}, el('dt', { text: label }), el('dd', { 'data-metric': key, text: value }));
	}

	async function kick(id) {
		try {
			await api(`/rooms/${code}/participants/${encodeURIComponent(id)}`, { method: 'DELETE', bearer: hostSecret(code) });
		}
		catch (error) {
			log('error', { error: `kick failed: ${error.message}` });
		}
	}

	function renderRoutes() {
		const select = $(main, '[data-route]');
		const previous = select.value || '*';
		const online = [...participants.values()].filter((p) => p.status !== 'offline');
		const models = [...new Set(online.map((p) => p.model))].sort();
		const options = [el('option', { value: '*', text: 'Any participant (*)' })];
		for (const model of models) {
			options.push(el('option', { value: `model:${model}`, text: `Model ${model} (model:${model})` }));
		}
		for (const p of online) {
			options.push(el('option', { value: p.id, text: `${p.nickname} — ${p.model}` }));
		}
		select.replaceChildren(...options);
		select.value = options.some((option) => option.value === previous) ? previous : '*';
	}

	function log(type, data) {
		const list = $(main, '[data-log]');
		const time = new Date().toLocaleTimeString();
		list.prepend(el('li', { 'data-event': type },
			el('time', { text: time }), ' ', el('strong', { text: type }), ' ', el('span', { text: describe(type, data) })));
		while (list.children.length > LOG_LIMIT) {
			list.lastElementChild.remove();
		}
	}

	function describe(type, data) {
		if (!data || typeof data !== 'object') {
			return '';
		}
		const who = participants.get(data.participantId)?.nickname || data.nickname || data.participantId || '';
		if (type === 'llm:complete' && data.metrics) {
			const m = data.metrics;
			return `${who} · ${data.model || ''} · ${m.tokens ?? '?'} tokens, TTFT ${fmt(m.latencyFirstTokenMs, 0, ' ms')}, `
				+ `${fmt(m.tokensPerSecond, 1)} tok/s`;
		}
		if (type === 'llm:error' || type === 'error') {
			return `${who} ${data.error || ''}`.trim();
		}
		if (type === 'llm:request') {
			return `${who} · ${data.model || ''}`;
		}
		if (type === 'participant:joined') {
			return `${data.nickname} (${data.model})`;
		}
		if (type === 'room:closed') {
			return data.reason || '';
		}
		return who;
	}

	async function loadStats() {
		if (!statsAvailable || stopped) {
			return;
		}
		try {
			stats = parseStats(await api(`/rooms/${code}/stats`, { bearer: roomPassword(code) }));
			queueRender();
		}
		catch (error) {
			if (error.status === 404 || error.status === 405) {
				statsAvailable = false;
				stats = null;
				return;
			}
		}
		clearTimeout(statsTimer);
		statsTimer = setTimeout(loadStats, STATS_INTERVAL_MS);
	}

	function scheduleStats() {
		if (statsAvailable) {
			clearTimeout(statsTimer);
			statsTimer = setTimeout(loadStats, 300);
		}
	}

	function setupClose() {
		const button = $(main, '[data-close]');
		if (!hostSecret(code)) {
			return;
		}
		button.hidden = false;
		let armed = false;
		button.addEventListener('click', async () => {
			if (!armed) {
				armed = true;
				button.textContent = 'Click again to close for everyone';
				setTimeout(() => {
					armed = false;
					button.textContent = 'Close room';
				}, 5000);
				return;
			}
			try {
				await api(`/rooms/${code}`, { method: 'DELETE', bearer: hostSecret(code) });
				forgetHost(code);
				location.hash = '#/';
			}
			catch (error) {
				fail(`Could not close the room: ${error.message}`);
			}
		});
	}

	function setupChat() {
		const form = $(main, '[data-chat]');
		const answer = $(main, '[data-answer]');
		const status = $(main, '[data-chat-status]');
		const send = $(main, '[data-send]');
		const stopButton = $(main, '[data-stop]');
		stopButton.addEventListener('click', () => chat && chat.abort());
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			if (chat) {
				return;
			}
			chat = new AbortController();
			answer.textContent = '';
			answer.dataset.state = 'streaming';
			status.textContent = 'streaming…';
			send.disabled = true;
			stopButton.disabled = false;
			const started = performance.now();
			const requestId = `dashboard-${randomHex(12)}`;
			try {
				await streamChat(code, {
					requestId,
					model: form.elements.model.value || '*',
					prompt: form.elements.prompt.value,
					bearer: roomPassword(code),
					signal: chat.signal,
					onDelta(piece) {
						answer.append(piece);
					},
				});
				answer.dataset.state = 'done';
				status.textContent = `done in ${((performance.now() - started) / 1000).toFixed(1)} s`;
			}
			catch (error) {
				answer.dataset.state = 'error';
				status.textContent = error.name === 'AbortError' ? 'stopped' : `error: ${error.message}`;
			}
			finally {
				chat = null;
				send.disabled = false;
				stopButton.disabled = true;
				settleLater(requestId);
			}
		});
	}

	/**
	 * Our own request has ended; a hub that sends no llm:complete would leave it "in flight" for ever, so drop it
	 * after a grace period. A late llm:complete still counts it as done.
	 */
	function settleLater(requestId) {
		setTimeout(() => {
			for (const entry of metrics.values()) {
				entry.inFlight.delete(requestId);
			}
			queueRender();
		}, 3000);
	}

	function fail(message) {
		$(main, '[data-room-error]').textContent = message;
		if (stream) {
			stream.stop();
		}
	}

	return {
		stop() {
			stopped = true;
			if (stream) {
				stream.stop();
			}
			if (chat) {
				chat.abort();
			}
			clearTimeout(statsTimer);
		},
	};
}

function forget(entry, requestId) {
	if (requestId) {
		entry.inFlight.delete(requestId);
	}
	else {
		const first = entry.inFlight.values().next();
		if (!first.done) {
			entry.inFlight.delete(first.value);
		}
	}
}

function randomHex(bytes) {
	const values = crypto.getRandomValues(new Uint8Array(bytes));
	return [...values].map((value) => value.toString(16).padStart(2, '0')).join('');
}

function pushBounded(list, value) {
	if (typeof value === 'number' && Number.isFinite(value)) {
		list.push(value);
		if (list.length > 100) {
			list.shift();
		}
	}
}

function average(list) {
	return list && list.length ? list.reduce((sum, value) => sum + value, 0) / list.length : null;
}

/** Accepts the stats snapshot as a list or a map of participants, under the field names a hub may use. */
export function parseStats(json) {
	let list = [];
	const source = json && (json.participants ?? json.stats ?? json);
	if (Array.isArray(source)) {
		list = source;
	}
	else if (source && typeof source === 'object') {
		list = Object.entries(source).map(([id, value]) => ({ participantId: id, ...value }));
	}
	const map = new Map();
	for (const item of list) {
		const id = item && (item.participantId ?? item.id);
		if (!id) {
			continue;
		}
		map.set(id, {
			inFlight: pick(item, 'inFlight', 'in_flight'),
			completed: pick(item, 'completed', 'requests', 'completedRequests'),
			errors: pick(item, 'errors', 'failed', 'errorCount'),
			ttft: pick(item, 'avgLatencyFirstTokenMs', 'avgTtftMs', 'averageTtftMs', 'ttftMs'),
			tps: pick(item, 'avgTokensPerSecond', 'averageTokensPerSecond', 'tokensPerSecond'),
		});
	}
	return map;
}

function pick(item, ...names) {
	for (const name of names) {
		if (typeof item[name] === 'number') {
			return item[name];
		}
	}
	return undefined;
}

// Hub overview: every room with its participants by status, hub totals, and requests/s from the live hub stream.
import { api, subscribe } from './api.js';
import { hubToken, rememberHost, rememberPassword, roomPassword, setHubToken } from './state.js';
import { $, el, fmt, setConnection } from './ui.js';

const RATE_WINDOW_MS = 10000;

const MAX_ROOMS_COUNTED = 50;

export function renderOverview(main) {
	main.append(document.getElementById('tpl-overview').content.cloneNode(true));
	const note = $(main, '[data-hub-note]');
	const requestTimes = [];
	let rooms = [];
	const counts = new Map();
	let stream = null;
	let live = false;
	let refreshTimer = null;
	let stopped = false;

	async function refresh() {
		try {
			rooms = (await api('/rooms')).rooms || [];
		}
		catch (error) {
			note.hidden = false;
			note.textContent = `Could not list rooms: ${error.message}`;
			return;
		}
		await Promise.all(rooms.slice(0, MAX_ROOMS_COUNTED).map(async (room) => {
			if (room.protected && !roomPassword(room.code)) {
				counts.set(room.code, { locked: true });
				return;
			}
			try {
				const { participants } = await api(`/rooms/${room.code}/participants`, { bearer: roomPassword(room.code) });
				counts.set(room.code, tally(participants || []));
			}
			catch (error) {
				counts.set(room.code, { locked: error.status === 401 });
			}
		}));
		if (!stopped) {
			render();
		}
	}

	function scheduleRefresh() {
		clearTimeout(refreshTimer);
		refreshTimer = setTimeout(refresh, 250);
	}

	function render() {
		const body = $(main, '[data-rooms]');
		const totals = { online: 0, busy: 0, offline: 0 };
		body.replaceChildren(...rooms.map((room) => {
			const count = counts.get(room.code) || {};
			for (const key of Object.keys(totals)) {
				totals[key] += count[key] || 0;
			}
			const access = room.protected ? (count.locked ? 'protected (password needed)' : 'protected') : 'open';
			return el('tr', { 'data-room': room.code },
				el('th', { scope: 'row' }, el('a', { href: `#/room/${room.code}`, text: room.name })),
				el('td', {}, el('code', { text: room.code })),
				el('td', { 'data-col': 'participants', text: String(room.participantCount ?? 0) }),
				el('td', { text: count.locked ? '—' : String(count.online || 0) }),
				el('td', { text: count.locked ? '—' : String(count.busy || 0) }),
				el('td', { text: count.locked ? '—' : String(count.offline || 0) }),
				el('td', { text: access }));
		}));
		$(main, '[data-rooms-empty]').hidden = rooms.length > 0;
		$(main, '[data-total="rooms"]').textContent = String(rooms.length);
		for (const [key, value] of Object.entries(totals)) {
			$(main, `[data-total="${key}"]`).textContent = String(value);
		}
	}

	function renderRate() {
		const now = Date.now();
		while (requestTimes.length && requestTimes[0] < now - RATE_WINDOW_MS) {
			requestTimes.shift();
		}
		$(main, '[data-total="rps"]').textContent = live ? fmt(requestTimes.length / (RATE_WINDOW_MS / 1000), 1) : '—';
	}

	function connect() {
		if (stream) {
			stream.stop();
		}
		stream = subscribe('/events', {
			bearer: hubToken(),
			onState(state, detail) {
				live = state === 'live';
				if (state === 'unauthorized') {
					note.hidden = false;
					note.textContent = 'Live hub events need the hub admin token (below); the page polls every 5 s meanwhile.';
					setConnection('polling');
					return;
				}
				if (state === 'live') {
					note.hidden = true;
					scheduleRefresh();
				}
				setConnection(state, detail);
			},
			onEvent(type) {
				if (type === 'llm:request') {
					requestTimes.push(Date.now());
					renderRate();
				}
				if (type.startsWith('room:') || type.startsWith('participant:')) {
					scheduleRefresh();
				}
			},
		});
	}

	$(main, '[data-create]').addEventListener('submit', async (event) => {
		event.preventDefault();
		const form = event.currentTarget;
		const error = $(main, '[data-create-error]');
		error.textContent = '';
		const name = form.elements.name.value.trim();
		const password = form.elements.password.value;
		try {
			const created = await api('/rooms', { method: 'POST', body: password ? { name, password } : { name } });
			rememberHost(created.room.code, created.hostId);
			rememberPassword(created.room.code, password);
			location.hash = `#/room/${created.room.code}`;
		}
		catch (failure) {
			error.textContent = failure.message;
		}
	});

	$(main, '[data-admin]').addEventListener('submit', (event) => {
		event.preventDefault();
		setHubToken(event.currentTarget.elements.token.value);
		event.currentTarget.elements.token.value = '';
		connect();
		refresh();
	});

	refresh();
	connect();
	const rateTimer = setInterval(renderRate, 1000);
	const pollTimer = setInterval(() => {
		if (!live) {
			refresh();
		}
	}, 5000);
	const slowTimer = setInterval(refresh, 30000);

	return {
		stop() {
			stopped = true;
			stream.stop();
			clearTimeout(refreshTimer);
			clearInterval(rateTimer);
			clearInterval(pollTimer);
			clearInterval(slowTimer);
		},
	};
}

function tally(participants) {
	const count = { online: 0, busy: 0, offline: 0 };
	for (const participant of participants) {
		if (participant.status in count) {
			count[participant.status]++;
		}
	}
	return count;
}

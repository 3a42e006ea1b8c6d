// Small DOM helpers shared by the views. Text always goes in through textContent, never innerHTML.

export function el(tag, attrs = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs)) {
		if (value === undefined || value === null || value === false) {
			continue;
		}
		if (name === 'text') {
			node.textContent = value;
		}
		else if (name.startsWith('on')) {
			node.addEventListener(name.slice(2), value);
		}
		else {
			node.setAttribute(name, value === true ? '' : String(value));
		}
	}
	for (const child of children) {
		if (child !== null && child !== undefined) {
			node.append(child);
		}
	}
	return node;
}

export function $(root, selector) {
	return root.querySelector(selector);
}

/** Shows the connection state of the view's live stream in the header. */
export function setConnection(state, detail) {
	const conn = document.getElementById('conn');
	const labels = {
		connecting: 'connecting…',
		live: 'live',
		disconnected: `disconnected — retrying in ${Math.max(1, Math.round((detail || 0) / 1000))} s`,
		unauthorized: 'not authorized',
		gone: 'room closed',
		polling: 'polling (no live events)',
	};
	conn.dataset.state = state;
	conn.textContent = labels[state] || state;
}

export function fmt(value, digits = 0, unit = '') {
	if (value === null || value === undefined || Number.isNaN(value)) {
		return '—';
	}
	return `${Number(value).toFixed(digits)}${unit}`;
}

/** Copies text; plain-http LAN pages have no Clipboard API, so fall back to a selected textarea. */
export async function copy(text, status) {
	let copied = false;
	try {
		if (navigator.clipboard && window.isSecureContext) {
			await navigator.clipboard.writeText(text);
			copied = true;
		}
	}
	catch {
		copied = false;
	}
	if (!copied) {
		const area = el('textarea', { readonly: true, 'aria-hidden': 'true', class: 'offscreen' });
		area.value = text;
		document.body.append(area);
		area.select();
		try {
			copied = document.execCommand('copy');
		}
		catch {
			copied = false;
		}
		area.remove();
	}
	status.textContent = copied ? `Copied ${text}` : `Copy this: ${text}`;
	setTimeout(() => {
		status.textContent = '';
	}, 4000);
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small inline SVG line of the last values (tokens/s per request); an empty frame until there is data. */
export function sparkline(values, { width = 120, height = 28, label = 'throughput' } = {}) {
	const svg = document.createElementNS(SVG, 'svg');
	svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
	svg.setAttribute('width', width);
	svg.setAttribute('height', height);
	svg.setAttribute('class', 'spark');
	svg.setAttribute('role', 'img');
	const last = values.length ? values[values.length - 1] : null;
	svg.setAttribute('aria-label', values.length ? `${label}: last ${fmt(last, 1)} tokens/s` : `${label}: no data yet`);
	if (!values.length) {
		const text = document.createElementNS(SVG, 'text');
		text.setAttribute('x', 6);
		text.setAttribute('y', height / 2 + 4);
		text.textContent = 'no answers yet';
		svg.append(text);
	}
	else {
		const max = Math.max(...values, 1) * 1.15;
		const step = values.length > 1 ? width / (values.length - 1) : 0;
		const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
		if (values.length === 1) {
			points.push(`${width},${points[0].split(',')[1]}`);
		}
		const line = document.createElementNS(SVG, 'polyline');
		line.setAttribute('points', points.join(' '));
		svg.append(line);
	}
	return svg;
}

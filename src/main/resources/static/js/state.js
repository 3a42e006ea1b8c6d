// What the browser remembers. Host secrets (hostId from POST /rooms) stay in localStorage per room code, so the
// owner can close the room later from this browser. Room passwords and the admin token live in memory only: they
// are typed in, sent as an Authorization header, and forgotten when the tab closes.

const HOST_PREFIX = 'gambiarra.host.';

const passwords = new Map();

let adminToken = '';

export function hostSecret(code) {
	try {
		return localStorage.getItem(HOST_PREFIX + code) || '';
	}
	catch {
		return '';
	}
}

export function rememberHost(code, hostId) {
	try {
		localStorage.setItem(HOST_PREFIX + code, hostId);
	}
	catch {
		// Storage may be disabled; the room still works, it just cannot be closed from here later.
	}
}

export function forgetHost(code) {
	try {
		localStorage.removeItem(HOST_PREFIX + code);
	}
	catch {
		// nothing to forget
	}
}

export function roomPassword(code) {
	return passwords.get(code) || '';
}

export function rememberPassword(code, password) {
	if (password) {
		passwords.set(code, password);
	}
	else {
		passwords.delete(code);
	}
}

export function hubToken() {
	return adminToken;
}

export function setHubToken(token) {
	adminToken = token || '';
}

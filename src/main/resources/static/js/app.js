// The dashboard: a hash router over two views, the hub overview (#/) and a room (#/room/CODE).
import { renderOverview } from './overview.js';
import { renderRoom } from './room.js';
import { el } from './ui.js';

let current = null;

function route() {
	if (current) {
		current.stop();
	}
	const main = document.getElementById('main');
	const crumbs = document.getElementById('crumbs');
	main.replaceChildren();
	const match = location.hash.match(/^#\/room\/([A-Za-z0-9]{1,32})$/);
	if (match) {
		const code = match[1].toUpperCase();
		crumbs.replaceChildren(el('a', { href: '#/', text: 'Overview' }), ' / ', el('span', { text: `Room ${code}` }));
		current = renderRoom(main, code);
	}
	else {
		crumbs.replaceChildren();
		current = renderOverview(main);
	}
}

window.addEventListener('hashchange', route);
// Close the live streams when the page is hidden for good or frozen in the back/forward cache: browsers allow about
// six connections per host, and a frozen page holding its event stream would starve the next one.
window.addEventListener('pagehide', () => {
	if (current) {
		current.stop();
		current = null;
	}
});
window.addEventListener('pageshow', (event) => {
	if (event.persisted) {
		route();
	}
});
route();

package dev.gambiarra.proxy;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.gambiarra.web.HubException;

/**
 * The heap the relay may spend on request bodies, all requests together: each relayed body is held as received and
 * as rewritten for its participant until the answer ends (failover may send it again). Without a bound, a burst of
 * large prompts could exhaust a small heap and take every other client down with it; with one, the excess gets 503
 * with {@code Retry-After} while everyone else is served. One body larger than the whole budget still goes through
 * when it is alone.
 */
final class BodyMemory {

	private final long limit;

	private final AtomicLong used = new AtomicLong();

	BodyMemory(long limit) {
		this.limit = limit;
	}

	/**
	 * Takes {@code bytes} of the budget, or refuses.
	 * @return a reservation to {@link Reservation#release() release} exactly once when the request ends
	 * @throws HubException 503 when the budget is spent by other requests
	 */
	Reservation reserve(long bytes) {
		while (true) {
			long current = this.used.get();
			if (current != 0 && current + bytes > this.limit) {
				HttpHeaders headers = new HttpHeaders();
				headers.set(HttpHeaders.RETRY_AFTER, "1");
				throw new HubException(HttpStatus.SERVICE_UNAVAILABLE,
						"The hub is relaying too many large requests right now, try again shortly", "hub_busy",
						headers);
			}
			if (this.used.compareAndSet(current, current + bytes)) {
				return new Reservation(bytes);
			}
		}
	}

	/** Bytes reserved right now. */
	long used() {
		return this.used.get();
	}

	/** A part of the budget, given back once. */
	final class Reservation {

		private final AtomicLong bytes;

		private Reservation(long bytes) {
			this.bytes = new AtomicLong(bytes);
		}

		void release() {
			long held = this.bytes.getAndSet(0);
			if (held != 0) {
				BodyMemory.this.used.addAndGet(-held);
			}
		}

	}

}

package dev.gambiarra.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.TestEvents;
import dev.gambiarra.proxy.LoadBalancer.Lease;
import dev.gambiarra.proxy.ParticipantRouter.Selection;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.rooms.TestRooms;
import dev.gambiarra.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balancer with a shared store that takes slots exactly ({@link SharedLoad#exact()}), faked in memory with a
 * settable count of slots "another hub" holds and that other hub's gossip lagging behind (it always says 0): a slot
 * the store refuses makes the request wait, a freed notice or the backstop timer tries again, a store that cannot
 * answer leaves the decision to this hub, and a slot nobody can use any more is given back.
 */
class ExactSlotsTest {

	private static final Selection POOLED = new Selection(true, null, "m");

	private static final long RETRY_MILLIS = 500;

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final TestClock clock = TestClock.of(this.time);

	private final EventBus bus = TestEvents.bus();

	private final RoomService rooms = TestRooms.service(this.bus, this.clock);

	/** Queue of 4, 10 s queue timeout. */
	private final RoutingProperties properties = new RoutingProperties(4, Duration.ofSeconds(10),
			Duration.ofSeconds(5), 3, 2, Duration.ofSeconds(30));

	private final FakeStore store = new FakeStore();

	private final LoadBalancer balancer = new LoadBalancer(this.rooms, this.bus, this.properties,
			new ParticipantHealth(this.rooms, this.bus, this.properties, this.clock), this.time, this.store);

	private Room room;

	@BeforeEach
	void start() {
		this.balancer.start();
		this.room = TestRooms.room(this.rooms);
		TestRooms.join(this.rooms, this.room, "p", "m", 1);
	}

	@AfterEach
	void stop() {
		this.balancer.stop();
		this.time.dispose();
	}

	private CompletableFuture<Lease> acquire() {
		return this.balancer.acquire(this.room, POOLED, Set.of()).toFuture();
	}

	@Test
	void aSlotHeldOnAnotherHubMakesTheRequestWaitUntilThatHubFreesIt() {
		this.store.elsewhere = 1;
		CompletableFuture<Lease> waiting = acquire();
		assertThat(waiting).as("refused by the store although the gossip says the slot is free").isNotDone();
		assertThat(this.balancer.queued()).isEqualTo(1);
		assertThat(this.balancer.inFlight()).isZero();
		// Refused once, it counts as full: nothing asks the store again until a slot is freed.
		CompletableFuture<Lease> second = acquire();
		assertThat(this.store.asked).isEqualTo(1);
		assertThat(this.balancer.queued()).isEqualTo(2);

		this.store.elsewhere = 0;
		this.store.freed(this.room.code());
		assertThat(waiting).as("the oldest waiter goes first").isCompleted();
		assertThat(second).isNotDone();
		assertThat(this.store.held).hasSize(1);
		waiting.join().release();
		assertThat(second).as("the slot given back goes to the next waiter").isCompleted();
		second.join().release();
		assertThat(this.store.held).isEmpty();
		assertThat(this.store.released).hasSize(2);
		assertThat(this.balancer.inFlight() + this.balancer.queued()).isZero();
	}

	@Test
	void aLostFreedNoticeIsMadeUpForByTheBackstopRetry() {
		this.store.elsewhere = 1;
		CompletableFuture<Lease> waiting = acquire();
		this.store.elsewhere = 0;
		this.time.advanceTimeBy(Duration.ofMillis(RETRY_MILLIS - 1));
		assertThat(waiting).isNotDone();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(waiting).as("tried again without a notice").isCompleted();
		assertThat(this.store.asked).isEqualTo(2);
		waiting.join().release();
	}

	@Test
	void aSlotFreedWhileTheStoreWasAskedIsTriedAgainAtOnce() {
		this.store.elsewhere = 1;
		this.store.answerLater = true;
		CompletableFuture<Lease> waiting = acquire();
		// The other hub frees its slot after the store refused ours, but before the refusal arrived here.
		this.store.elsewhere = 0;
		this.store.freed(this.room.code());
		this.store.answerLater = false;
		this.store.answer(false);
		assertThat(waiting).as("not stranded until the backstop").isCompleted();
		waiting.join().release();
	}

	@Test
	void whenTheStoreCannotAnswerThisHubsOwnChoiceStandsAndItsCapStillHolds() {
		this.store.down = true;
		CompletableFuture<Lease> first = acquire();
		assertThat(first).as("relayed without Redis").isCompleted();
		CompletableFuture<Lease> second = acquire();
		assertThat(second).as("this hub's own cap still holds").isNotDone();
		this.store.down = false;
		first.join().release();
		assertThat(second).isCompleted();
		second.join().release();
		assertThat(this.balancer.inFlight()).isZero();
	}

	@Test
	void aSlotGrantedToARequestThatLeftMeanwhileIsGivenBack() {
		this.store.answerLater = true;
		Disposable impatient = this.balancer.acquire(this.room, POOLED, Set.of()).subscribe();
		// While its slot is being asked for, this hub's other requests see the participant taken.
		CompletableFuture<Lease> next = acquire();
		assertThat(this.store.asked).isEqualTo(1);
		impatient.dispose();
		this.store.answerLater = false;
		this.store.answer(true);
		assertThat(this.store.released).as("the slot is given back").hasSize(1);
		assertThat(next).as("and goes to the next request").isCompleted();
		next.join().release();
		assertThat(this.store.held).isEmpty();
		assertThat(this.balancer.inFlight() + this.balancer.queued()).isZero();
	}

	/** Slots of one participant in a store shared with one other hub; takes answer at once unless told. */
	private static final class FakeStore implements SharedLoad {

		private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

		private final Set<Long> held = new HashSet<>();

		private final List<Long> released = new ArrayList<>();

		private final List<Sinks.One<Boolean>> pending = new ArrayList<>();

		private int elsewhere;

		private int asked;

		private boolean down;

		private boolean answerLater;

		@Override
		public int elsewhere(String room, String participantId) {
			return 0;
		}

		@Override
		public void changed(String room, String participantId, int inFlight) {
		}

		@Override
		public void onFreed(Consumer<String> listener) {
			this.listeners.add(listener);
		}

		void freed(String room) {
			this.listeners.forEach((listener) -> listener.accept(room));
		}

		@Override
		public boolean exact() {
			return true;
		}

		@Override
		public Mono<Boolean> take(String room, String participantId, long slot, int maxConcurrent) {
			this.asked++;
			if (this.down) {
				return Mono.error(new RedisConnectionException("Connection closed"));
			}
			boolean free = this.elsewhere + this.held.size() < maxConcurrent;
			if (free) {
				this.held.add(slot);
			}
			if (this.answerLater) {
				Sinks.One<Boolean> answer = Sinks.one();
				this.pending.add(answer);
				return answer.asMono().map((granted) -> {
					if (!granted) {
						this.held.remove(slot);
					}
					return granted;
				});
			}
			return Mono.just(free);
		}

		/** Answers the oldest take held back with {@code granted}. */
		void answer(boolean granted) {
			this.pending.remove(0).tryEmitValue(granted);
		}

		@Override
		public void release(String room, String participantId, long slot) {
			if (this.held.remove(slot)) {
				this.released.add(slot);
			}
		}

		@Override
		public long retryMillis() {
			return RETRY_MILLIS;
		}

	}

}

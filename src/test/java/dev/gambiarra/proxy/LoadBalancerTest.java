package dev.gambiarra.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.http.HttpStatus;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.TestEvents;
import dev.gambiarra.proxy.LoadBalancer.Lease;
import dev.gambiarra.proxy.ParticipantRouter.Selection;
import dev.gambiarra.resilience.CircuitState;
import dev.gambiarra.rooms.ParticipantStatus;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.rooms.TestRooms;
import dev.gambiarra.support.BusEvents;
import dev.gambiarra.support.TestClock;
import dev.gambiarra.web.HubException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balancer alone, without Spring or HTTP: least busy first, ties in turn, caps and {@code busy}, the fair queue
 * and its bounds, leases released exactly once, and the circuit breaker's open / half-open / closed cycle. Queue
 * timeouts and cool-downs run on one virtual time the tests step.
 */
class LoadBalancerTest {

	private static final Selection POOLED = new Selection(true, null, "m");

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	/** The breakers' clock and the queue timeouts' scheduler: one virtual time. */
	private final TestClock clock = TestClock.of(this.time);

	private final EventBus bus = TestEvents.bus();

	private final RoomService rooms = TestRooms.service(this.bus, this.clock);

	/** Queue of 2, 1 s queue timeout, Retry-After 5 s, breaker opens after 2 failures for 30 s. */
	private final RoutingProperties properties = new RoutingProperties(2, Duration.ofSeconds(1),
			Duration.ofSeconds(5), 3, 2, Duration.ofSeconds(30));

	private final LoadBalancer balancer = new LoadBalancer(this.rooms, this.bus, this.properties,
			new ParticipantHealth(this.rooms, this.bus, this.properties, this.clock), this.time);

	private Room room;

	private BusEvents events;

	@BeforeEach
	void start() {
		this.balancer.start();
		this.room = TestRooms.room(this.rooms);
		this.events = BusEvents.of(this.bus, this.room.code());
	}

	@AfterEach
	void stop() {
		this.events.close();
		this.balancer.stop();
		this.time.dispose();
	}

	private static Selection only(String participantId) {
		return new Selection(false, participantId, null);
	}

	private CompletableFuture<Lease> acquire(Selection selection) {
		return this.balancer.acquire(this.room, selection, Set.of()).toFuture();
	}

	private Lease lease(Selection selection) {
		CompletableFuture<Lease> lease = acquire(selection);
		assertThat(lease).as("granted at once").isCompleted();
		return lease.join();
	}

	private static HubException refusal(CompletableFuture<Lease> lease) {
		assertThat(lease).isCompletedExceptionally();
		Throwable cause = lease.handle((ok, ex) -> ex).join();
		assertThat(cause).isInstanceOf(HubException.class);
		return (HubException) cause;
	}

	private String served(Selection selection) {
		Lease lease = lease(selection);
		lease.succeeded();
		lease.release();
		return lease.participant().id();
	}

	@Test
	void theLeastBusyParticipantWinsAndTiesTakeTurns() {
		TestRooms.join(this.rooms, this.room, "a", "m", 4);
		TestRooms.join(this.rooms, this.room, "b", "m", 4);
		List<String> turns = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			turns.add(served(POOLED));
		}
		assertThat(turns.get(0)).as("ties take turns").isNotEqualTo(turns.get(1));
		assertThat(turns).containsExactly(turns.get(0), turns.get(1), turns.get(0), turns.get(1)).containsOnly("a", "b");

		Lease held = lease(only("a"));
		for (int i = 0; i < 3; i++) {
			assertThat(served(POOLED)).as("a is busier").isEqualTo("b");
		}
		Lease second = lease(POOLED);
		assertThat(second.participant().id()).as("1 in flight against 0").isEqualTo("b");
		List.of(held, second).forEach(Lease::release);
		assertThat(this.balancer.inFlight()).isZero();
	}

	@Test
	void atItsCapAParticipantIsBusyAndWaitersAreServedOldestFirst() {
		TestRooms.join(this.rooms, this.room, "p", "m", 1);
		Lease first = lease(POOLED);
		assertThat(this.room.participant("p").status()).isEqualTo(ParticipantStatus.BUSY);
		assertThat(this.events.ofType("participant:busy")).hasSize(1);

		CompletableFuture<Lease> second = acquire(only("p"));
		CompletableFuture<Lease> third = acquire(POOLED);
		assertThat(this.balancer.queued(this.room.code())).isEqualTo(2);
		assertThat(this.balancer.snapshot(this.room.code(), "p").inFlight()).as("the cap holds").isEqualTo(1);

		first.release();
		assertThat(second).isCompleted();
		assertThat(third).isNotDone();
		second.join().release();
		assertThat(third).isCompleted();
		assertThat(this.room.participant("p").status()).as("still at its cap").isEqualTo(ParticipantStatus.BUSY);
		third.join().release();
		assertThat(this.room.participant("p").status()).isEqualTo(ParticipantStatus.ONLINE);
		assertThat(this.events.events()).last().satisfies((last) -> assertThat(last.type()).isEqualTo("participant:online"));
		assertThat(this.balancer.queued()).isZero();
	}

	@Test
	void aFullQueueIsRefusedAtOnceWith503AndRetryAfter() {
		TestRooms.join(this.rooms, this.room, "p", "m", 1);
		Lease held = lease(POOLED);
		CompletableFuture<Lease> one = acquire(POOLED);
		CompletableFuture<Lease> two = acquire(POOLED);
		HubException full = refusal(acquire(POOLED));
		assertThat(full.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(full.getMessage()).isEqualTo("Too many requests waiting for this room, try again later");
		assertThat(full.headers().getFirst("Retry-After")).isEqualTo("5");
		assertThat(List.of(one, two)).allMatch((waiter) -> !waiter.isDone());
		held.release();
		one.join().release();
		two.join().release();
	}

	@Test
	void aRequestThatWaitsLongerThanTheQueueTimeoutIs503WithRetryAfter() {
		TestRooms.join(this.rooms, this.room, "p", "m", 1);
		Lease held = lease(POOLED);
		CompletableFuture<Lease> waiting = acquire(POOLED);
		this.clock.advance(Duration.ofMillis(999));
		assertThat(waiting).isNotDone();
		this.clock.advance(Duration.ofMillis(1));
		HubException timedOut = refusal(waiting);
		assertThat(timedOut.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(timedOut.getMessage()).isEqualTo("All matching participants are busy, try again later");
		assertThat(timedOut.headers().getFirst("Retry-After")).isEqualTo("5");
		assertThat(this.balancer.queued()).isZero();
		held.release();
		assertThat(this.balancer.inFlight()).isZero();
	}

	@Test
	void aLeaseIsReleasedExactlyOnceAndAWaiterWhoLeavesLeavesTheQueue() {
		TestRooms.join(this.rooms, this.room, "p", "m", 2);
		Lease first = lease(POOLED);
		Lease second = lease(POOLED);
		Disposable impatient = this.balancer.acquire(this.room, POOLED, Set.of()).subscribe();
		assertThat(this.balancer.queued()).isEqualTo(1);
		impatient.dispose();
		assertThat(this.balancer.queued()).isZero();

		first.release();
		first.release();
		assertThat(this.balancer.inFlight()).as("the second release counts nothing").isEqualTo(1);
		Lease third = lease(POOLED);
		assertThat(this.balancer.snapshot(this.room.code(), "p").inFlight()).isEqualTo(2);
		second.release();
		third.release();
		third.release();
		assertThat(this.balancer.inFlight()).isZero();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.balancer.queued() + this.balancer.inFlight()).as("no timer fires late").isZero();
	}

	@Test
	void nothingMatchingIs404AndAParticipantWhoJoinsTakesTheWaiters() {
		assertThat(refusal(acquire(POOLED)).status()).isEqualTo(HttpStatus.NOT_FOUND);
		TestRooms.join(this.rooms, this.room, "p", "m", 1);
		Lease held = lease(POOLED);
		CompletableFuture<Lease> waiting = acquire(POOLED);
		TestRooms.join(this.rooms, this.room, "q", "m", 1);
		assertThat(waiting).as("woken by participant:joined").isCompleted();
		assertThat(waiting.join().participant().id()).isEqualTo("q");
		held.release();
		waiting.join().release();
	}

	@Test
	void repeatedFailuresOpenTheCircuitAndATrialAfterTheCoolDownClosesIt() {
		TestRooms.join(this.rooms, this.room, "a", "m", 4);
		TestRooms.join(this.rooms, this.room, "b", "m", 4);
		for (int i = 0; i < 2; i++) {
			Lease failing = lease(only("a"));
			failing.failed();
			failing.release();
		}
		assertThat(this.events.ofType("participant:circuit-open")).singleElement()
			.satisfies((open) -> assertThat(open.data()).asString().contains("failures=2", "retryInMillis=30000"));
		ParticipantLoad open = this.balancer.snapshot(this.room.code(), "a");
		assertThat(open.circuit()).isEqualTo(CircuitState.OPEN);
		assertThat(open.consecutiveFailures()).isEqualTo(2);
		assertThat(open.retryInMillis()).isEqualTo(30_000);

		HubException cooling = refusal(acquire(only("a")));
		assertThat(cooling.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(cooling.getMessage()).isEqualTo("No available participant: failing participants are cooling down");
		assertThat(cooling.headers().getFirst("Retry-After")).isEqualTo("30");
		for (int i = 0; i < 3; i++) {
			assertThat(served(POOLED)).as("out of rotation while open").isEqualTo("b");
		}
		assertThat(this.balancer.hasAlternative(this.room, POOLED, Set.of("b"))).isFalse();

		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.balancer.snapshot(this.room.code(), "a").retryInMillis()).isEqualTo(20_000);
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(this.balancer.hasAlternative(this.room, POOLED, Set.of("b"))).isTrue();
		Lease trial = lease(only("a"));
		assertThat(this.balancer.snapshot(this.room.code(), "a").circuit()).isEqualTo(CircuitState.HALF_OPEN);
		assertThat(refusal(acquire(only("a"))).status()).as("one trial at a time")
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		trial.succeeded();
		trial.release();
		assertThat(this.balancer.snapshot(this.room.code(), "a").circuit()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.balancer.snapshot(this.room.code(), "a").consecutiveFailures()).isZero();
		assertThat(this.events.ofType("participant:circuit-closed")).hasSize(1);
	}

	@Test
	void aFailedTrialOpensTheCircuitAgainAndAnAbandonedOneLetsTheNextRequestTry() {
		TestRooms.join(this.rooms, this.room, "a", "m", 4);
		for (int i = 0; i < 2; i++) {
			Lease failing = lease(only("a"));
			failing.failed();
			failing.release();
		}
		this.clock.advance(Duration.ofSeconds(30));
		Lease abandoned = lease(only("a"));
		abandoned.release();
		assertThat(this.balancer.snapshot(this.room.code(), "a").circuit()).isEqualTo(CircuitState.OPEN);
		assertThat(this.balancer.snapshot(this.room.code(), "a").retryInMillis()).as("no new cool-down").isZero();

		Lease trial = lease(only("a"));
		trial.failed();
		trial.release();
		ParticipantLoad reopened = this.balancer.snapshot(this.room.code(), "a");
		assertThat(reopened.circuit()).isEqualTo(CircuitState.OPEN);
		assertThat(reopened.retryInMillis()).isEqualTo(30_000);
		assertThat(this.events.ofType("participant:circuit-open")).hasSize(2);
		assertThat(refusal(acquire(only("a"))).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

}

package dev.gambiarra.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.gambiarra.events.EventBus;
import dev.gambiarra.events.HubEvent;
import dev.gambiarra.metrics.QueueDepth;
import dev.gambiarra.proxy.ParticipantHealth.RoomHealth;
import dev.gambiarra.proxy.ParticipantRouter.Selection;
import dev.gambiarra.resilience.CircuitBreaker;
import dev.gambiarra.resilience.CircuitBreaker.Admission;
import dev.gambiarra.resilience.CircuitState;
import dev.gambiarra.rooms.Participant;
import dev.gambiarra.rooms.Room;
import dev.gambiarra.rooms.RoomService;
import dev.gambiarra.web.HubException;

/**
 * Hands out participants to requests: the least busy match (fewest in-flight requests, ties in turn), never more
 * than a participant's {@code maxConcurrent} at once, never one its {@link ParticipantHealth} keeps out of rotation
 * (circuit open). When every match is at its cap the request waits in its room's bounded FIFO queue; a freed slot
 * goes to the oldest waiter that can use it. A {@link Lease} stands for one in-flight request: it is released exactly
 * once, whatever ends the request (completion, error, client gone), and its verdict is handed to the participant's
 * health (circuit breaker, busy/online status, their events).
 * <p>
 * All state of a room — its queue, its {@link InFlight} counts and its {@link RoomHealth} — is used under one
 * monitor, the room's {@code RoomLoad}; events and waiter wake-ups are sent after the monitor is released. Queue
 * timeouts run on the injected {@link Scheduler} (virtual time in tests). Rooms are weak keys, so a closed room's
 * bookkeeping goes with it.
 * <p>
 * With a shared store ({@link SharedLoad#exact()}) the participant chosen here is only a candidate: its slot is
 * reserved on this hub (so this hub's other requests see it taken) and then taken in the store, atomically across
 * hubs, before the lease is granted. Refused, the request waits in the queue like one held by a local cap and that
 * participant counts as full until a slot is freed: by this hub, by another hub (its freed notice), or, as a
 * backstop for a lost notice, after {@link SharedLoad#retryMillis()}. When the store cannot answer, the local
 * choice (this hub's requests and the other hubs' gossiped counts) stands, so relaying goes on without Redis.
 */
@Component
public class LoadBalancer implements SmartLifecycle, QueueDepth {

	private static final Logger logger = LoggerFactory.getLogger(LoadBalancer.class);

	/** A participant's circuit opened or closed, on this hub or (with a shared store) on another. */
	private static final Set<String> CIRCUIT_EVENTS = Set.of("participant:circuit-open", "participant:circuit-closed");

	/** Events after which a room may have room for waiting requests. */
	private static final Set<String> CAPACITY_EVENTS = Set.of("participant:joined", "participant:online");

	private final RoomService rooms;

	private final EventBus events;

	private final RoutingProperties properties;

	private final ParticipantHealth health;

	private final Scheduler timer;

	private final Map<Room, RoomLoad> loads = Collections.synchronizedMap(new WeakHashMap<>());

	private volatile @Nullable Disposable capacityWatch;

	private final SharedLoad shared;

	/** Whether leases take their slot in the shared store first ({@link SharedLoad#exact()}). */
	private final boolean exact;

	/** Numbers this hub's slots in the shared store. */
	private final AtomicLong slots = new AtomicLong();

	@Autowired
	LoadBalancer(RoomService rooms, EventBus events, RoutingProperties properties, ParticipantHealth health,
			SharedLoad shared) {
		this(rooms, events, properties, health, Schedulers.parallel(), shared);
	}

	/** @param timer where queue timeouts run */
	LoadBalancer(RoomService rooms, EventBus events, RoutingProperties properties, ParticipantHealth health,
			Scheduler timer) {
		this(rooms, events, properties, health, timer, SharedLoad.NONE);
	}

	/**
	 * @param timer where queue timeouts run
	 * @param shared the other hubs' in-flight requests, with a shared store
	 */
	LoadBalancer(RoomService rooms, EventBus events, RoutingProperties properties, ParticipantHealth health,
			Scheduler timer, SharedLoad shared) {
		this.rooms = rooms;
		this.events = events;
		this.properties = properties;
		this.health = health;
		this.timer = timer;
		this.shared = shared;
		this.exact = shared.exact();
		// Another hub's requests ended (or its hub stopped renewing them): requests waiting here may go now.
		shared.onFreed(this::capacityAdded);
	}

	/**
	 * Puts a request that must wait at the tail of its room's queue, or fails it when the queue is full. Called under
	 * the room's lock.
	 */
	private Choice queueOrRefuse(RoomLoad load, Waiter waiter, Choice waits) {
		if (load.queue.size() >= this.properties.queueCapacity()) {
			return Choice.failed(unavailable("Too many requests waiting for this room, try again later",
					this.properties.retryAfter().toMillis()));
		}
		load.queue.addLast(waiter);
		waiter.enqueued = true;
		return waits;
	}

	/**
	 * A lease on the best participant of the selection, not one of {@code excluded}: at once when one has room,
	 * after waiting in the queue otherwise. Fails with 404 when nothing matches any more, 503 (with
	 * {@code Retry-After}) when every match has an open circuit, the queue is full or the wait times out. Cancelling
	 * the returned {@code Mono} leaves the queue.
	 */
	Mono<Lease> acquire(Room room, Selection selection, Set<String> excluded) {
		RoomLoad load = loadOf(room);
		return Mono.<Lease>create((sink) -> {
			Waiter waiter = new Waiter(room, selection, Set.copyOf(excluded), sink);
			sink.onCancel(() -> cancel(load, waiter));
			Choice choice;
			synchronized (load) {
				choice = choose(load, waiter);
				if (choice.waits()) {
					choice = queueOrRefuse(load, waiter, choice);
				}
			}
			if (choice.waits()) {
				timeOut(load, waiter);
			}
			load.health.flush();
			deliver(load, waiter, choice);
		}).doOnDiscard(Lease.class, Lease::release);
	}

	/** Only a queued request needs a timer: one answered at once never touches the scheduler. Once per waiter. */
	private void timeOut(RoomLoad load, Waiter waiter) {
		waiter.sink.onDispose(this.timer.schedule(() -> expire(load, waiter),
				this.properties.queueTimeout().toMillis(), TimeUnit.MILLISECONDS));
	}

	/** A queued request waited {@code queue-timeout}: unless a lease reached it first, it is refused. */
	private void expire(RoomLoad load, Waiter waiter) {
		boolean stillWaiting;
		synchronized (load) {
			stillWaiting = load.queue.remove(waiter);
			waiter.expired = stillWaiting;
		}
		if (stillWaiting) {
			waiter.sink.error(unavailable("All matching participants are busy, try again later",
					this.properties.retryAfter().toMillis()));
		}
	}

	/**
	 * Whether another participant of the selection, not one of {@code excluded}, could take the request now or
	 * after a wait: failover asks before it gives up an upstream answer.
	 */
	boolean hasAlternative(Room room, Selection selection, Set<String> excluded) {
		RoomLoad load = loadOf(room);
		synchronized (load) {
			for (Participant participant : room.participants()) {
				if (selection.matches(participant) && !excluded.contains(participant.id())
						&& load.health.admits(participant.id())) {
					return true;
				}
			}
		}
		return false;
	}

	/** The load of one participant; idle and closed-circuit when it has never been routed to. */
	public ParticipantLoad snapshot(String roomCode, String participantId) {
		Room room = this.rooms.find(roomCode).orElse(null);
		Participant participant = (room != null) ? room.participant(participantId) : null;
		int max = (participant != null) ? participant.maxConcurrent() : 0;
		RoomLoad load = (room != null) ? this.loads.get(room) : null;
		if (load == null) {
			return new ParticipantLoad(0, max, CircuitState.CLOSED, 0, 0);
		}
		synchronized (load) {
			CircuitBreaker.Status circuit = load.health.circuit(participantId);
			return new ParticipantLoad(load.inFlight.of(participantId), max, circuit.state(), circuit.failures(),
					circuit.retryInMillis());
		}
	}

	/** Requests waiting in a room's queue. */
	public int queued(String roomCode) {
		Room room = this.rooms.find(roomCode).orElse(null);
		RoomLoad load = (room != null) ? this.loads.get(room) : null;
		if (load == null) {
			return 0;
		}
		synchronized (load) {
			return load.queue.size();
		}
	}

	/** Requests in flight to participants, hub-wide. */
	public int inFlight() {
		int total = 0;
		for (RoomLoad load : loadsNow()) {
			synchronized (load) {
				total += load.inFlight.total();
			}
		}
		return total;
	}

	/** Requests waiting for a participant, hub-wide. */
	@Override
	public int queued() {
		int total = 0;
		for (RoomLoad load : loadsNow()) {
			synchronized (load) {
				total += load.queue.size();
			}
		}
		return total;
	}

	private List<RoomLoad> loadsNow() {
		synchronized (this.loads) {
			return new ArrayList<>(this.loads.values());
		}
	}

	private RoomLoad loadOf(Room room) {
		synchronized (this.loads) {
			return this.loads.computeIfAbsent(room, (key) -> new RoomLoad(key.code(), this.health.of(key)));
		}
	}

	/** Picks for one request under the room's monitor: a lease, a reason to fail, or "wait". */
	private Choice choose(RoomLoad load, Waiter waiter) {
		Room room = waiter.room;
		load.inFlight.prune(room);
		load.admitting.prune(room);
		if (!load.refused.isEmpty()) {
			load.refused.removeIf((id) -> room.participant(id) == null);
		}
		load.health.prune();
		List<Participant> best = new ArrayList<>();
		int bestInFlight = Integer.MAX_VALUE;
		boolean matched = false;
		boolean circuitAllows = false;
		long soonest = Long.MAX_VALUE;
		for (Participant participant : room.participants()) {
			if (!waiter.selection.matches(participant) || waiter.excluded.contains(participant.id())) {
				continue;
			}
			matched = true;
			if (!load.health.admits(participant.id())) {
				soonest = Math.min(soonest, load.health.waitMillis(participant.id()));
				continue;
			}
			circuitAllows = true;
			// In flight on every hub: this hub's own (granted, or asking the store), plus what the other hubs sharing
			// the store last said. One the store just refused counts as full until a slot is freed.
			int inFlight = load.inFlight.of(participant.id()) + load.admitting.of(participant.id())
					+ this.shared.elsewhere(load.code, participant.id());
			if (inFlight >= participant.maxConcurrent() || load.refused.contains(participant.id())) {
				continue;
			}
			if (inFlight < bestInFlight) {
				best.clear();
				bestInFlight = inFlight;
			}
			if (inFlight == bestInFlight) {
				best.add(participant);
			}
		}
		if (!best.isEmpty()) {
			Participant chosen = best.get((int) Math.floorMod(load.turn++, (long) best.size()));
			if (this.exact) {
				load.admitting.add(chosen.id());
				waiter.admitting = true;
				return Choice.asking(new Attempt(chosen, this.slots.incrementAndGet(), load.wakes));
			}
			return Choice.granted(grant(load, chosen, 0));
		}
		if (!matched) {
			return Choice.failed(ParticipantRouter.noMatch());
		}
		if (!circuitAllows) {
			return Choice.failed(unavailable("No available participant: failing participants are cooling down",
					soonest));
		}
		return Choice.WAIT;
	}

	/**
	 * Under the room's monitor, right after {@code participant} was chosen (so its health admits it), or after the
	 * shared store granted its {@code slot} (0 without a shared store).
	 */
	private Lease grant(RoomLoad load, Participant participant, long slot) {
		int here = load.inFlight.add(participant.id());
		this.shared.changed(load.code, participant.id(), here);
		Admission admission = load.health.leased(participant,
				here + this.shared.elsewhere(load.code, participant.id()));
		return new Lease(load, participant, admission, slot);
	}

	/** Asks the shared store for the slot the request was given here; never blocks. */
	private void ask(RoomLoad load, Waiter waiter, Attempt attempt) {
		Participant participant = attempt.participant();
		this.shared.take(load.code, participant.id(), attempt.slot(), participant.maxConcurrent())
			.subscribe((granted) -> answered(load, waiter, attempt, granted ? Answer.GRANTED : Answer.REFUSED),
					(ex) -> {
						logger.debug("No answer from the shared store for a slot of {}, deciding here: {}",
								participant.id(), ex.toString());
						answered(load, waiter, attempt, Answer.UNKNOWN);
					});
	}

	/**
	 * The shared store answered (or could not) for the slot of a request: granted (or no answer: this hub's own choice
	 * stands), the lease goes to the request if it still waits; refused, the participant counts as full until a slot
	 * is freed and the request chooses again, waiting in the queue if nothing else has room.
	 */
	private void answered(RoomLoad load, Waiter waiter, Attempt attempt, Answer answer) {
		String id = attempt.participant().id();
		List<Map.Entry<Waiter, Choice>> wakeUps = new ArrayList<>();
		Choice choice = null;
		boolean giveBack = false;
		boolean retryLater = false;
		boolean queuedNow = false;
		synchronized (load) {
			load.admitting.remove(id);
			waiter.admitting = false;
			boolean waiting = !waiter.cancelled && !waiter.expired;
			if (answer == Answer.REFUSED) {
				// A slot freed while the store was asked may have come too late for this answer: try again then.
				if (load.wakes == attempt.wakes()) {
					load.refused.add(id);
					retryLater = !load.retrying;
					load.retrying = true;
				}
			}
			else {
				Participant current = waiter.room.participant(id);
				if (waiting && current != null && load.health.admits(id)) {
					if (waiter.enqueued) {
						load.queue.remove(waiter);
					}
					choice = Choice.granted(grant(load, current, attempt.slot()));
				}
				else {
					giveBack = true;
				}
			}
			if (choice == null && waiting && !waiter.enqueued) {
				choice = choose(load, waiter);
				if (choice.waits()) {
					choice = queueOrRefuse(load, waiter, choice);
					queuedNow = waiter.enqueued;
				}
			}
			drain(load, wakeUps);
		}
		if (giveBack) {
			this.shared.release(load.code, id, attempt.slot());
		}
		if (retryLater) {
			this.timer.schedule(() -> retry(load), this.shared.retryMillis(), TimeUnit.MILLISECONDS);
		}
		if (queuedNow) {
			timeOut(load, waiter);
		}
		load.health.flush();
		if (choice != null) {
			deliver(load, waiter, choice);
		}
		for (Map.Entry<Waiter, Choice> wakeUp : wakeUps) {
			deliver(load, wakeUp.getKey(), wakeUp.getValue());
		}
	}

	/** The backstop for a lost freed notice: participants the store refused are tried again. */
	private void retry(RoomLoad load) {
		List<Map.Entry<Waiter, Choice>> wakeUps = new ArrayList<>();
		synchronized (load) {
			load.retrying = false;
			wake(load);
			drain(load, wakeUps);
		}
		load.health.flush();
		for (Map.Entry<Waiter, Choice> wakeUp : wakeUps) {
			deliver(load, wakeUp.getKey(), wakeUp.getValue());
		}
	}

	/** Under the room's monitor: slots may have been freed, so no participant counts as refused any more. */
	private static void wake(RoomLoad load) {
		load.refused.clear();
		load.wakes++;
	}

	private void release(Lease lease) {
		if (!lease.released.compareAndSet(false, true)) {
			return;
		}
		RoomLoad load = lease.load;
		String id = lease.participant.id();
		List<Map.Entry<Waiter, Choice>> wakeUps = new ArrayList<>();
		synchronized (load) {
			int here = load.inFlight.remove(id);
			// The slot goes back before the other hubs hear of it (same connection, in order): one woken by the
			// notice finds it free.
			this.shared.release(load.code, id, lease.slot);
			this.shared.changed(load.code, id, here);
			load.refused.remove(id);
			load.wakes++;
			load.health.released(id, lease.admission, lease.verdict, here + this.shared.elsewhere(load.code, id));
			drain(load, wakeUps);
		}
		load.health.flush();
		for (Map.Entry<Waiter, Choice> wakeUp : wakeUps) {
			deliver(load, wakeUp.getKey(), wakeUp.getValue());
		}
	}

	/**
	 * Under the room's monitor: hands freed capacity to waiters, oldest first. A waiter whose slot is being asked
	 * for in the shared store keeps its place until the answer.
	 */
	private void drain(RoomLoad load, List<Map.Entry<Waiter, Choice>> wakeUps) {
		for (Iterator<Waiter> queued = load.queue.iterator(); queued.hasNext();) {
			Waiter waiter = queued.next();
			if (waiter.admitting) {
				continue;
			}
			Choice choice = choose(load, waiter);
			if (!choice.waits()) {
				if (choice.attempt() == null) {
					queued.remove();
				}
				wakeUps.add(Map.entry(waiter, choice));
			}
		}
	}

	/** A participant joined or came back: requests waiting in its room may go to it now. */
	private void capacityAdded(String roomCode) {
		Room room = this.rooms.find(roomCode).orElse(null);
		RoomLoad load = (room != null) ? this.loads.get(room) : null;
		if (load == null) {
			return;
		}
		List<Map.Entry<Waiter, Choice>> wakeUps = new ArrayList<>();
		synchronized (load) {
			wake(load);
			drain(load, wakeUps);
		}
		load.health.flush();
		for (Map.Entry<Waiter, Choice> wakeUp : wakeUps) {
			deliver(load, wakeUp.getKey(), wakeUp.getValue());
		}
	}

	@Override
	public void start() {
		this.capacityWatch = this.events.all()
			.filter((event) -> event.room() != null
					&& (CAPACITY_EVENTS.contains(event.type()) || CIRCUIT_EVENTS.contains(event.type())))
			.subscribe((event) -> {
				if (CIRCUIT_EVENTS.contains(event.type())) {
					circuitHeard(event);
				}
				else {
					capacityAdded(event.room());
				}
			}, (ex) -> logger.warn("Stopped watching for new participants: {}", ex.toString()));
	}

	/**
	 * With a shared store, another hub's breaker verdict holds here too: a participant it took out of rotation is
	 * out here as well (for this hub's cool-down), and one it saw answer again is back. This hub's own events come
	 * back through the store too; they find the breaker already in that state and change nothing.
	 */
	private void circuitHeard(HubEvent event) {
		String code = event.room();
		if (code == null || !this.rooms.sharedStore() || !(event.data() instanceof Map<?, ?> data)
				|| !(data.get("participantId") instanceof String id)) {
			return;
		}
		Room room = this.rooms.find(code).orElse(null);
		if (room == null) {
			return;
		}
		RoomLoad load = loadOf(room);
		List<Map.Entry<Waiter, Choice>> wakeUps = new ArrayList<>();
		synchronized (load) {
			boolean open = "participant:circuit-open".equals(event.type());
			if (load.health.heard(id, open) && !open) {
				drain(load, wakeUps);
			}
		}
		load.health.flush();
		for (Map.Entry<Waiter, Choice> wakeUp : wakeUps) {
			deliver(load, wakeUp.getKey(), wakeUp.getValue());
		}
	}

	@Override
	public void stop() {
		Disposable watch = this.capacityWatch;
		if (watch != null) {
			watch.dispose();
		}
		this.capacityWatch = null;
	}

	@Override
	public boolean isRunning() {
		return this.capacityWatch != null;
	}

	private void cancel(RoomLoad load, Waiter waiter) {
		waiter.cancelled = true;
		synchronized (load) {
			load.queue.remove(waiter);
		}
	}

	private void deliver(RoomLoad load, Waiter waiter, Choice choice) {
		if (choice.attempt() != null) {
			ask(load, waiter, choice.attempt());
		}
		else if (choice.lease() != null) {
			waiter.sink.success(choice.lease());
			if (waiter.cancelled) {
				// Cancelled while the lease was on its way: nobody will use it.
				choice.lease().release();
			}
		}
		else if (choice.error() != null) {
			waiter.sink.error(choice.error());
		}
	}

	private static HubException unavailable(String message, long retryAfterMillis) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
		return new HubException(HttpStatus.SERVICE_UNAVAILABLE, message, "participants_busy", headers);
	}

	/**
	 * The breaker's verdict on a lease: how a request ended as far as the participant's health is concerned (a 4xx is
	 * the client's fault, so an answer). Not {@code metrics.Outcome}, which says how it ended for the meters.
	 */
	enum Verdict {

		/** It answered (2xx, or a 4xx that is the client's fault). */
		SUCCESS,
		/** Connection failed, timed out, 5xx, or dropped mid-stream. */
		FAILURE,
		/** No verdict: the client went away first. */
		NONE

	}

	/** One in-flight request on one participant; {@link #release()} is idempotent. */
	final class Lease {

		private final RoomLoad load;

		private final Participant participant;

		private final Admission admission;

		/** Its slot in the shared store; 0 without one. */
		private final long slot;

		private final AtomicBoolean released = new AtomicBoolean();

		private volatile Verdict verdict = Verdict.NONE;

		private Lease(RoomLoad load, Participant participant, Admission admission, long slot) {
			this.load = load;
			this.participant = participant;
			this.admission = admission;
			this.slot = slot;
		}

		Participant participant() {
			return this.participant;
		}

		void succeeded() {
			this.verdict = Verdict.SUCCESS;
		}

		void failed() {
			this.verdict = Verdict.FAILURE;
		}

		void release() {
			LoadBalancer.this.release(this);
		}

	}

	/**
	 * A request's lease, a reason it cannot have one, a participant whose slot is to be asked for in the shared store,
	 * or none of these yet.
	 */
	private record Choice(@Nullable Lease lease, @Nullable HubException error, @Nullable Attempt attempt) {

		static final Choice WAIT = new Choice(null, null, null);

		static Choice granted(Lease lease) {
			return new Choice(lease, null, null);
		}

		static Choice failed(HubException error) {
			return new Choice(null, error, null);
		}

		static Choice asking(Attempt attempt) {
			return new Choice(null, null, attempt);
		}

		boolean waits() {
			return this.lease == null && this.error == null && this.attempt == null;
		}

	}

	/**
	 * A participant chosen for a request, its slot reserved on this hub while the shared store is asked for it.
	 * @param wakes the room's wake count when asked, to tell whether a slot was freed before the answer
	 */
	private record Attempt(Participant participant, long slot, long wakes) {
	}

	/** What the shared store said about a slot. */
	private enum Answer {

		GRANTED, REFUSED,
		/** It could not answer in time: this hub's own choice stands. */
		UNKNOWN

	}

	private static final class Waiter {

		private final Room room;

		private final Selection selection;

		private final Set<String> excluded;

		private final MonoSink<Lease> sink;

		private volatile boolean cancelled;

		/** In the queue (once in it, it leaves it only with an answer). Under the room's monitor. */
		private boolean enqueued;

		/** Its slot is being asked for in the shared store. Under the room's monitor. */
		private boolean admitting;

		/** Its wait timed out. Under the room's monitor. */
		private boolean expired;

		Waiter(Room room, Selection selection, Set<String> excluded, MonoSink<Lease> sink) {
			this.room = room;
			this.selection = selection;
			this.excluded = excluded;
			this.sink = sink;
		}

	}

	/** One room's queue, in-flight counts and participant health; all guarded by this object's monitor. */
	private static final class RoomLoad {

		private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

		private final InFlight inFlight = new InFlight();

		/** Slots reserved here while the shared store is asked for them. */
		private final InFlight admitting = new InFlight();

		/** Participants the shared store refused a slot since the last {@link LoadBalancer#wake}. */
		private final Set<String> refused = new HashSet<>();

		/** Times slots may have been freed (a release here, a freed notice, the backstop). */
		private long wakes;

		/** Whether the backstop retry is scheduled. */
		private boolean retrying;

		private final String code;

		private final RoomHealth health;

		private long turn;

		RoomLoad(String code, RoomHealth health) {
			this.code = code;
			this.health = health;
		}

	}

}

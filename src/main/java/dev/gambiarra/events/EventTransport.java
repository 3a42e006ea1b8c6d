package dev.gambiarra.events;

/**
 * Carries events between hubs that share a store. When the bus has one, {@link EventBus#publish(HubEvent)} hands
 * every event to it instead of delivering it at once; the transport delivers it back, on every hub in the same
 * order, through {@link EventBus#deliver(HubEvent)}.
 */
public interface EventTransport {

	/** Sends an event to every hub, this one included; never blocks, never fails the caller. */
	void send(HubEvent event);

}

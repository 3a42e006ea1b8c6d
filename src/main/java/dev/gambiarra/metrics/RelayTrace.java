package dev.gambiarra.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import dev.gambiarra.events.HubEvent;

/**
 * What the hub measures about one relayed request. The relay calls {@link #response} when the upstream's status
 * arrives, {@link #chunk} for each buffer on its way to the client (scanned in place, never kept), {@link #bodyComplete}
 * when the upstream's answer ends, and one of {@link #complete}, {@link #failed} or {@link #cancelled} at the end;
 * later terminal calls are ignored.
 * <p>
 * Time to first token runs from forwarding to the first buffer holding generated text (the first byte when the
 * answer has none). Tokens are the upstream's {@code usage.completion_tokens} when present, else the generated
 * values counted. Tokens per second divide the tokens by the generation time after the first token for a stream,
 * by the whole duration otherwise.
 */
public final class RelayTrace {

	private final ProxyMetrics owner;

	private final ParticipantMeters stats;

	private final String room;

	private final String participantId;

	private final String model;

	private final String operation;

	private final boolean stream;

	private final String requestId;

	private final @Nullable CompletionScanner scanner;

	private final long start = System.nanoTime();

	private final AtomicBoolean finished = new AtomicBoolean();

	private long firstByte;

	private long firstContent;

	private volatile int status;

	private volatile boolean bodyComplete;

	/** The answer's declared {@code Content-Length}, or -1. */
	private volatile long declaredLength = -1;

	/** Bytes of the answer handed to the client so far. */
	private volatile long relayedBytes;

	RelayTrace(ProxyMetrics owner, ParticipantMeters stats, String room, String participantId, String model,
			String operation, boolean stream, boolean generates, String requestId) {
		this.owner = owner;
		this.stats = stats;
		this.room = room;
		this.participantId = participantId;
		this.model = model;
		this.operation = operation;
		this.stream = stream;
		this.requestId = requestId;
		this.scanner = generates ? new CompletionScanner() : null;
	}

	/** The upstream answered with this status and declared its body's length (-1: no length). */
	public void response(int statusCode, long declaredLength) {
		this.status = statusCode;
		this.declaredLength = declaredLength;
	}

	/** A buffer of the answer is about to be written to the client. Reads it in place; does not retain it. */
	public void chunk(ByteBuf buffer) {
		this.relayedBytes += buffer.readableBytes();
		if (this.firstByte == 0) {
			this.firstByte = System.nanoTime();
		}
		CompletionScanner current = this.scanner;
		if (current != null && current.scan(buffer) && this.firstContent == 0) {
			this.firstContent = System.nanoTime();
		}
	}

	/** The upstream's answer ended normally (all of it went through {@link #chunk}). */
	public void bodyComplete() {
		this.bodyComplete = true;
	}

	/**
	 * The relay ended without an error. When the client does not have the whole answer (neither the upstream's end
	 * of it nor every byte of a declared length went through), the client went away and the server just stopped
	 * writing: that is a cancellation, not a success.
	 */
	public void complete() {
		int code = this.status;
		if (!hadWholeBody()) {
			finish(Outcome.CANCELLED, code, null);
			return;
		}
		finish((code >= 200 && code < 400) ? Outcome.SUCCESS : Outcome.UPSTREAM_ERROR, code, null);
	}

	/** The request failed; {@code statusCode} is what the client got (0 when the answer was cut midway). */
	public void failed(int statusCode, String reason) {
		finish(Outcome.FAILED, (statusCode != 0) ? statusCode : this.status, reason);
	}

	/**
	 * The client went away. If it had the whole answer already (every byte of a declared length), the request
	 * succeeded: a client may close its connection as soon as the body is complete, before the upstream's end of
	 * the answer has reached the relay.
	 */
	public void cancelled() {
		if (hadWholeBody()) {
			complete();
			return;
		}
		finish(Outcome.CANCELLED, this.status, null);
	}

	/**
	 * Whether the client has the whole answer: the upstream's end of it went through, or every byte of its declared
	 * length did (the server completes a response once its length is written, and the client may close then).
	 */
	private boolean hadWholeBody() {
		long declared = this.declaredLength;
		return this.bodyComplete || (declared >= 0 && this.relayedBytes >= declared);
	}

	private void finish(Outcome outcome, int statusCode, @Nullable String reason) {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		long end = System.nanoTime();
		long duration = end - this.start;
		long firstMark = (this.firstContent != 0) ? this.firstContent : this.firstByte;
		long firstToken = (firstMark != 0) ? firstMark - this.start : -1;
		long tokens = (this.scanner != null) ? this.scanner.tokens() : 0;
		double speed = tokensPerSecond(tokens, end, duration);
		this.stats.finished(outcome, firstToken, duration, tokens, speed);
		long durationMs = TimeUnit.NANOSECONDS.toMillis(duration);
		long firstTokenMs = (firstToken >= 0) ? TimeUnit.NANOSECONDS.toMillis(firstToken) : -1;
		if (outcome == Outcome.SUCCESS) {
			this.owner.publish(HubEvent.llmComplete(this.room, this.participantId, this.model, this.requestId,
					HubEvent.fields("tokens", tokens, "latencyFirstTokenMs", Math.max(firstTokenMs, 0), "durationMs",
							durationMs, "tokensPerSecond", speed)));
		}
		if (ProxyMetrics.requestLog.isInfoEnabled()) {
			ProxyMetrics.requestLog.atInfo()
				.addKeyValue("requestId", this.requestId)
				.addKeyValue("room", this.room)
				.addKeyValue("participant", this.participantId)
				.addKeyValue("model", this.model)
				.addKeyValue("operation", this.operation)
				.addKeyValue("status", statusCode)
				.addKeyValue("outcome", outcome.tag())
				.addKeyValue("ttftMs", firstTokenMs)
				.addKeyValue("durationMs", durationMs)
				.addKeyValue("tokens", tokens)
				.addKeyValue("tokensPerSecond", speed)
				.addKeyValue("reason", reason)
				.log("{} room={} participant={} model={} op={} status={} outcome={} ttftMs={} durationMs={} "
						+ "tokens={} tokensPerSecond={}{}", this.requestId, this.room, this.participantId,
						this.model, this.operation, statusCode, outcome.tag(), firstTokenMs, durationMs, tokens,
						speed, (reason != null) ? " reason=\"" + reason + "\"" : "");
		}
	}

	/** Rounded to one decimal; 0 without tokens. */
	private double tokensPerSecond(long tokens, long end, long duration) {
		if (tokens <= 0) {
			return 0;
		}
		long window = duration;
		if (this.stream && this.firstContent != 0 && tokens > 1 && end - this.firstContent >= 1_000_000L) {
			window = end - this.firstContent;
		}
		if (window <= 0) {
			return 0;
		}
		return Math.round(tokens * 1e9 / window * 10.0) / 10.0;
	}

}

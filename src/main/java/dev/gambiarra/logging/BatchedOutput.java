package dev.gambiarra.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An output stream that collects what is written and passes it to {@code target} from its own thread, in one write
 * per {@code interval}. Writers copy bytes into memory and return: no system call, no wake-up of the process that
 * reads the console, on the thread that logged (an event loop, for the request log). At most {@code maxPending} bytes
 * wait; a write that does not fit is dropped whole and counted, and the count is written as a line of its own once
 * there is room. {@link #close} writes what is left and stops the thread; the target is not closed.
 */
final class BatchedOutput extends OutputStream {

	private final OutputStream target;

	private final long intervalNanos;

	private final int maxPending;

	private final Thread writer;

	/** A buffer that grew past this in a burst is replaced after it was written, not kept at that size. */
	private static final int RETAINED_CAPACITY = 256 * 1024;

	/** Held while a batch is written: the writer thread's and {@link #close}'s drains never overlap. */
	private final Object draining = new Object();

	/** Guarded by {@code this}. */
	private ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);

	/** Guarded by {@code this}. */
	private ByteArrayOutputStream spare = new ByteArrayOutputStream(8192);

	/** Guarded by {@code this}. */
	private long dropped;

	/** Guarded by {@code this}. */
	private boolean closed;

	BatchedOutput(OutputStream target, Duration interval, int maxPending) {
		this.target = target;
		this.intervalNanos = Math.max(1, interval.toNanos());
		this.maxPending = maxPending;
		this.writer = new Thread(this::run, "gambiarra-console");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.closed) {
			this.target.write(bytes, offset, length);
			return;
		}
		if (this.pending.size() + length > this.maxPending) {
			this.dropped++;
			return;
		}
		this.pending.write(bytes, offset, length);
	}

	/** Nothing to do: the writer thread flushes at the end of each batch. */
	@Override
	public void flush() {
	}

	/** Lines dropped so far because {@code maxPending} bytes were waiting. */
	synchronized long dropped() {
		return this.dropped;
	}

	/** Bytes written and not yet taken by the writer thread. */
	synchronized int pendingBytes() {
		return this.pending.size();
	}

	private void run() {
		while (true) {
			LockSupport.parkNanos(this, this.intervalNanos);
			boolean last;
			synchronized (this) {
				last = this.closed;
			}
			drain();
			if (last) {
				return;
			}
		}
	}

	/** Writes what is waiting, in one write. */
	private void drain() {
		synchronized (this.draining) {
			ByteArrayOutputStream batch;
			long lost;
			synchronized (this) {
				if (this.pending.size() == 0 && this.dropped == 0) {
					return;
				}
				batch = this.pending;
				this.pending = this.spare;
				lost = this.dropped;
				this.dropped = 0;
			}
			int size = batch.size();
			try {
				batch.writeTo(this.target);
				if (lost > 0) {
					this.target.write(("[gambiarra] " + lost + " console log lines dropped: the console was not "
							+ "read fast enough (gambiarra.logging.console-batch.max-pending)" + System.lineSeparator())
						.getBytes(StandardCharsets.UTF_8));
				}
				this.target.flush();
			}
			catch (IOException ex) {
				// Standard output is gone (a closed pipe): there is nowhere left to say so.
			}
			batch.reset();
			synchronized (this) {
				// After a burst, let the big buffer go rather than keep its capacity for good.
				this.spare = (size > RETAINED_CAPACITY) ? new ByteArrayOutputStream(8192) : batch;
			}
		}
	}

	/** Writes what is waiting and stops the writer thread; later writes go straight to the target. */
	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		LockSupport.unpark(this.writer);
		try {
			this.writer.join(Duration.ofSeconds(2).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		drain();
	}

}

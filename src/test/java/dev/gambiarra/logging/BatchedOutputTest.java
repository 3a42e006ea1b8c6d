package dev.gambiarra.logging;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BatchedOutputTest {

	/** A target that records each write and can hold writes back until released. */
	private static final class Target extends OutputStream {

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private final AtomicInteger writes = new AtomicInteger();

		private final CountDownLatch release;

		Target(CountDownLatch release) {
			this.release = release;
		}

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			synchronized (this) {
				this.received.write(bytes, offset, length);
			}
			this.writes.incrementAndGet();
		}

		synchronized String text() {
			return this.received.toString(StandardCharsets.UTF_8);
		}

	}

	private static byte[] line(String text) {
		return (text + "\n").getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void linesFromManyThreadsArriveWholeInOrderAndInFewWritesFromAnotherThread() throws Exception {
		CountDownLatch released = new CountDownLatch(1);
		Target target = new Target(released);
		BatchedOutput output = new BatchedOutput(target, Duration.ofMillis(20), 1 << 20);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			int id = t;
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 500; i++) {
					try {
						output.write(line("thread " + id + " line " + i));
						output.flush();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			// The target holds every write back: writers return all the same, nothing waits on the console.
			thread.join(10_000);
			assertThat(thread.isAlive()).isFalse();
		}
		released.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> target.text().split("\n", -1).length == 2001);
		List<String> lines = List.of(target.text().split("\n"));
		assertThat(lines).hasSize(2000);
		for (int t = 0; t < 4; t++) {
			String prefix = "thread " + t + " line ";
			List<String> mine = lines.stream().filter((l) -> l.startsWith(prefix)).toList();
			assertThat(mine).hasSize(500);
			for (int i = 0; i < 500; i++) {
				assertThat(mine.get(i)).isEqualTo(prefix + i);
			}
		}
		assertThat(target.writes.get()).as("one write per batch, not per line").isLessThan(100);
		output.close();
	}

	@Test
	void writesBeyondTheBoundAreDroppedWholeAndCountedAndCloseWritesTheRest() throws Exception {
		CountDownLatch released = new CountDownLatch(1);
		Target target = new Target(released);
		BatchedOutput output = new BatchedOutput(target, Duration.ofMillis(5), 100);
		// The writer thread takes the first batch and is held by the target; what follows waits, bounded.
		output.write(line("first"));
		await().atMost(Duration.ofSeconds(5)).until(() -> output.pendingBytes() == 0);
		for (int i = 0; i < 20; i++) {
			output.write(line(String.format("line %02d", i)));
		}
		assertThat(output.dropped()).as("8 bytes each, 100 may wait: 12 kept").isEqualTo(8);
		released.countDown();
		output.close();
		String text = target.text();
		assertThat(text).startsWith("first\n");
		StringBuilder kept = new StringBuilder("first\n");
		for (int i = 0; i < 12; i++) {
			kept.append(String.format("line %02d\n", i));
		}
		assertThat(text).startsWith(kept.toString()).doesNotContain("line 12").contains("8 console log lines dropped");
		output.write(line("after close"));
		assertThat(target.text()).endsWith("after close\n");
	}

}

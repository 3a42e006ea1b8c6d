import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gambiarra's benchmark: the hub's overhead over calling a participant directly.
 *
 * It starts the built-in test LLM and the hub from the packaged jar as two separate processes, joins the test LLM
 * to a room, and drives load from this (third) process. Each scenario runs DIRECT (client -> test LLM) and VIA HUB
 * (client -> hub room -> test LLM) rounds interleaved in the same run, checks every response (status, chunk count,
 * content, [DONE]) and reports p50/p99 time to first chunk and total, requests/s, chunks/s, hub CPU per request and
 * hub peak RSS. A run with any error is reported as failed.
 *
 * Usage: java src/bench/java/Bench.java <jar> [quick|fanout|relay|slow|c1|tunnel]  (the `bench` Maven profile does
 * this after packaging). {@code tunnel} compares a tunnel participant (a {@code join --tunnel} process forwarding to
 * the same test LLM) with the direct participant, both through the hub: non-stream c=1 latency and 64-chunk streams
 * at c=1 and c=64 (target: the tunnel within x1.3 of the direct participant); "DIRECT" in its lines is the direct
 * participant via the hub, "VIA" the tunnel participant via the hub. {@code relay} runs only the per-chunk relay timing, {@code slow} only the 1,000 slow streams (3 times),
 * {@code c1} only the two single-client scenarios.
 * {@code quick} is a short smoke run; {@code fanout} runs only the SSE fan-out (two unrecorded passes first). With
 * the environment variable BENCH_THREADS set, the fan-out also prints CPU per thread of the hub and of this process
 * during the recorded pass, and each event's p50/max delay.
 */
public class Bench {

	static final int CHUNKS = 64;

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.executor(Executors.newFixedThreadPool(4, (runnable) -> {
			Thread thread = new Thread(runnable, "bench-http");
			thread.setDaemon(true);
			return thread;
		}))
		.build();

	static boolean quick;

	static Process hub;

	static Process llm;

	static String hubUrl;

	static String llmUrl;

	static String roomCode;

	static final List<Map<String, Object>> results = new ArrayList<>();

	static final List<String> failures = new ArrayList<>();

	public static void main(String[] args) throws Exception {
		if (args.length < 1) {
			System.err.println("usage: java Bench.java <gambiarra.jar> [quick|fanout|relay|slow|c1|scaleout|tunnel]");
			System.exit(2);
		}
		if (args.length > 1 && args[1].equals("scaleout")) {
			ScaleOut.run(Path.of(args[0]));
			return;
		}
		Path jar = Path.of(args[0]);
		quick = args.length > 1 && args[1].equals("quick");
		boolean fanOutOnly = args.length > 1 && args[1].equals("fanout");
		boolean relayOnly = args.length > 1 && args[1].equals("relay");
		boolean slowOnly = args.length > 1 && args[1].equals("slow");
		boolean singleOnly = args.length > 1 && args[1].equals("c1");
		boolean tunnelOnly = args.length > 1 && args[1].equals("tunnel");
		Path out = Path.of("target", "bench");
		Files.createDirectories(out);
		try {
			int llmPort = freePort();
			int hubPort = freePort();
			llm = start(out.resolve("test-llm.log"), "java", "-jar", jar.toString(), "test-llm", "--port",
					String.valueOf(llmPort), "--chunks", String.valueOf(CHUNKS));
			// Production settings by default: the JVM flags of the Dockerfile's ENTRYPOINT (between "java" and "-jar"),
			// without the AOT cache file that only the image has.
			String hubOpts = System.getenv("HUB_JAVA_OPTS");
			if (hubOpts == null) {
				var entrypoint = java.util.regex.Pattern.compile("(?ms)^ENTRYPOINT \\[(.*?)\\]")
					.matcher(Files.readString(Path.of("Dockerfile")));
				if (!entrypoint.find()) {
					throw new IllegalStateException("no exec-form ENTRYPOINT in ./Dockerfile: set HUB_JAVA_OPTS");
				}
				List<String> flags = new ArrayList<>();
				var word = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1));
				while (word.find() && !word.group(1).equals("-jar")) {
					if (word.group(1).startsWith("-") && !word.group(1).startsWith("-XX:SharedArchiveFile")) {
						flags.add(word.group(1));
					}
				}
				hubOpts = String.join(" ", flags);
			}
			System.out.println("hub JVM flags: " + hubOpts);
			List<String> hubCommand = new ArrayList<>(List.of("java"));
			hubCommand.addAll(List.of(hubOpts.trim().split("\\s+")));
			hubCommand.addAll(List.of("-Dserver.port=" + hubPort, "-Dserver.address=127.0.0.1",
					"-Dgambiarra.demo.enabled=false", "-Dgambiarra.console.enabled=false",
					"-Dlogging.level.dev.gambiarra=WARN", "-jar", jar.toString()));
			long hubStart = System.nanoTime();
			hub = start(out.resolve("hub.log"), hubCommand.toArray(String[]::new));
			llmUrl = "http://127.0.0.1:" + llmPort;
			hubUrl = "http://127.0.0.1:" + hubPort;
			awaitHealthy(llmUrl + "/v1/models");
			awaitHealthy(hubUrl + "/health");
			double startupMs = (System.nanoTime() - hubStart) / 1e6;
			// The JVM's CPU time until then (all threads, JIT included) says more than wall time on a busy machine.
			long startupCpuMs = cpuTicks(hub) * 10;
			System.out.printf(Locale.ROOT,
					"hub started: /health 200 after %.0f ms (process start to first 200), %d ms of CPU, rss %d MiB%n",
					startupMs, startupCpuMs, peakRssMiB(hub));
			setUpRoom();
			Map<String, Object> startup = new LinkedHashMap<>();
			startup.put("scenario", "startup to /health 200");
			startup.put("ms", Math.round(startupMs));
			startup.put("cpuMs", startupCpuMs);
			results.add(startup);

			if (relayOnly) {
				// Just the per-chunk relay time, after one unrecorded pass.
				chunkRelay(1, 16);
				results.remove(results.size() - 1);
				chunkRelay(3, 16);
			}
			else if (tunnelOnly) {
				tunnel(jar, out);
			}
			else if (singleOnly) {
				// Just one client, after the full warm-up.
				warmUp();
				compare("non-stream c=1", false, 1, 3, Duration.ofSeconds(5));
				compare("stream 64 chunks c=1", true, 1, 3, Duration.ofSeconds(5));
			}
			else if (slowOnly) {
				// Just the 1,000 slow streams, three times after a short warm-up.
				for (int i = 0; i < 3; i++) {
					compare("stream 64 chunks c=64", true, 64, 1, Duration.ofSeconds(5));
				}
				for (int i = 0; i < 3; i++) {
					slowStreams(1000);
				}
			}
			else if (fanOutOnly) {
				// Just the fan-out, after a first unrecorded pass that warms up the hub's event path.
				fanOut(1000, 20, false);
				fanOut(1000, 20, false);
				fanOut(1000, 20, true);
			}
			else {
				all();
			}
		}
		finally {
			stop(hub);
			stop(llm);
		}
		report(out);
		if (!failures.isEmpty()) {
			System.err.println("BENCHMARK FAILED: " + failures.size() + " problem(s); first: " + failures.get(0));
			System.exit(1);
		}
	}

	/**
	 * The tunnel participant against the direct one, through the same hub to the same test LLM: a {@code join
	 * --tunnel} process (the jar, as users run it) serves participant {@code bench-tunnel}.
	 */
	static void tunnel(Path jar, Path out) throws Exception {
		Process joiner = start(out.resolve("join-tunnel.log"), "java", "-jar", jar.toString(), "join", "--code",
				roomCode, "--model", "test-llm", "--endpoint", llmUrl, "--tunnel", "--id", "bench-tunnel",
				"--nickname", "bench-tunnel", "--no-specs", "true", "--hub", hubUrl);
		try {
			String probe = chatBody(false, "").replace("MODEL", "bench-tunnel");
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (true) {
				HttpResponse<String> answer = HTTP.send(post(via(), probe), HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() == 200) {
					break;
				}
				if (System.nanoTime() > deadline || !joiner.isAlive()) {
					throw new IllegalStateException("the tunnel participant never answered: " + answer.statusCode()
							+ " " + answer.body() + " (see target/bench/join-tunnel.log)");
				}
				TimeUnit.MILLISECONDS.sleep(200);
			}
			warmUp();
			Duration warm = Duration.ofSeconds(quick ? 2 : 10);
			for (int concurrency : new int[] { 1, 32 }) {
				runRound(via(), "bench-tunnel", true, concurrency, warm, "");
				runRound(via(), "bench-tunnel", false, concurrency, warm, "");
			}
			int rounds = quick ? 1 : 3;
			Duration round = Duration.ofSeconds(quick ? 2 : 5);
			compareTunnel("tunnel vs direct: non-stream c=1", false, 1, rounds, round);
			compareTunnel("tunnel vs direct: stream 64 chunks c=1", true, 1, rounds, round);
			compareTunnel("tunnel vs direct: stream 64 chunks c=64", true, 64, rounds, round);
		}
		finally {
			stop(joiner);
		}
	}

	/** The tunnel participant against the direct one, both through the hub ("DIRECT" is the direct participant). */
	static void compareTunnel(String name, boolean stream, int concurrency, int rounds, Duration length)
			throws Exception {
		compare(name, via(), "bench", via(), "bench-tunnel", stream, concurrency, rounds, length);
	}

	static void all() throws Exception {
		int rounds = quick ? 1 : 3;
		Duration round = Duration.ofSeconds(quick ? 2 : 5);
		warmUp();
		compare("non-stream c=1", false, 1, rounds, round);
		compare("stream 64 chunks c=1", true, 1, rounds, round);
		compare("stream 64 chunks c=64", true, 64, rounds, round);
		compare("non-stream c=256", false, 256, rounds, round);
		chunkRelay(3, 16);
		slowStreams(quick ? 200 : 1000);
		fanOut(quick ? 200 : 1000, quick ? 5 : 20, false);
		fanOut(quick ? 200 : 1000, quick ? 5 : 20, true);
	}

	// ---- scenarios ---------------------------------------------------------------------------------------------

	static String chatBody(boolean stream, String extra) {
		return "{\"model\":\"MODEL\",\"stream\":" + stream + extra
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"benchmark the gambiarra hub please\"}]}";
	}

	static String direct() {
		return llmUrl + "/v1/chat/completions";
	}

	static String via() {
		return hubUrl + "/rooms/" + roomCode + "/v1/chat/completions";
	}

	static void warmUp() throws Exception {
		// Long enough for the JIT to finish compiling the hot paths of both processes (C2 still used a third of a
		// core after 20 s of load with a shorter warm-up): the figures are about a hub that has been running.
		Duration warm = Duration.ofSeconds(quick ? 2 : 10);
		for (int concurrency : new int[] { 1, 32 }) {
			runRound(via(), "bench", true, concurrency, warm, "");
			runRound(via(), "bench", false, concurrency, warm, "");
			runRound(direct(), "test-llm", true, concurrency, warm, "");
			runRound(direct(), "test-llm", false, concurrency, warm, "");
		}
	}

	static void compare(String name, boolean stream, int concurrency, int rounds, Duration length) throws Exception {
		compare(name, direct(), "test-llm", via(), "bench", stream, concurrency, rounds, length);
	}

	/** Rounds of the baseline and the measured target in turn; the hub's CPU is counted over the measured rounds. */
	static void compare(String name, String baseUrl, String baseModel, String measuredUrl, String measuredModel,
			boolean stream, int concurrency, int rounds, Duration length) throws Exception {
		Stats baseStats = new Stats();
		Stats measuredStats = new Stats();
		for (int i = 0; i < rounds; i++) {
			baseStats.add(runRound(baseUrl, baseModel, stream, concurrency, length, ""));
			long cpuBefore = cpuTicks(hub);
			Round measured = runRound(measuredUrl, measuredModel, stream, concurrency, length, "");
			measuredStats.cpuTicks += cpuTicks(hub) - cpuBefore;
			measuredStats.add(measured);
		}
		record(name, baseStats, measuredStats);
	}

	/**
	 * How long each chunk takes from the test LLM to the client, DIRECT and VIA HUB: streams of 32 chunks 10 ms apart
	 * (so every chunk travels alone), each event stamped by the test LLM with its wall-clock send time. The hub's own
	 * relay delay is the VIA transit less the DIRECT one.
	 */
	static void chunkRelay(int rounds, int streams) throws Exception {
		String extra = ",\"test_llm\":{\"chunks\":32,\"delay_ms\":10,\"stamp\":true}";
		List<Long> direct = new ArrayList<>();
		List<Long> via = new ArrayList<>();
		Round check = new Round();
		for (int i = 0; i < rounds; i++) {
			direct.addAll(stampedBurst(direct(), "test-llm", streams, extra, check));
			via.addAll(stampedBurst(via(), "bench", streams, extra, check));
		}
		Collections.sort(direct);
		Collections.sort(via);
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("scenario", "chunk relay (" + streams + " streams x 32 chunks, 10 ms apart)");
		row.put("chunks", via.size());
		row.put("directTransitP50Ms", micros(percentile(direct, 50)));
		row.put("directTransitP99Ms", micros(percentile(direct, 99)));
		row.put("viaTransitP50Ms", micros(percentile(via, 50)));
		row.put("viaTransitP99Ms", micros(percentile(via, 99)));
		row.put("addedByHubP50Ms", micros(percentile(via, 50) - percentile(direct, 50)));
		row.put("addedByHubP99Ms", micros(percentile(via, 99) - percentile(direct, 99)));
		results.add(row);
		System.out.printf(Locale.ROOT,
				"%-48s transit DIRECT p50 %.3f ms p99 %.3f ms | VIA p50 %.3f ms p99 %.3f ms | added p50 %.3f ms p99"
						+ " %.3f ms%n",
				row.get("scenario"), row.get("directTransitP50Ms"), row.get("directTransitP99Ms"),
				row.get("viaTransitP50Ms"), row.get("viaTransitP99Ms"), row.get("addedByHubP50Ms"),
				row.get("addedByHubP99Ms"));
		if (check.errors.get() > 0 || direct.size() != via.size()) {
			failures.add("chunk relay: " + check.errors.get() + " errors, " + direct.size() + " direct vs " + via.size()
					+ " via stamped chunks");
		}
	}

	/**
	 * {@code count} stamped streams started together on raw sockets read by one selector thread (the JDK client's own
	 * queueing would otherwise dominate the tail); every stream is checked: 32 ordered content chunks, a stamp before
	 * every event, {@code [DONE]} last.
	 */
	static List<Long> stampedBurst(String url, String model, int count, String extra, Round round) throws Exception {
		URI uri = URI.create(url);
		byte[] body = chatBody(true, extra).replace("MODEL", model).getBytes(StandardCharsets.UTF_8);
		byte[] head = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
				+ "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
				+ body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] request = new byte[head.length + body.length];
		System.arraycopy(head, 0, request, 0, head.length);
		System.arraycopy(body, 0, request, head.length, body.length);
		List<Long> transits = Collections.synchronizedList(new ArrayList<>());
		long[] stamp = new long[count];
		int[] events = new int[count];
		int[] stamped = new int[count];
		int[] content = new int[count];
		boolean[] done = new boolean[count];
		java.util.Arrays.fill(stamp, -1);
		FrameHandler handler = new FrameHandler() {

			@Override
			public void comment(SseReaders.Reader reader, String text) {
				if (text.startsWith(": sent-us ")) {
					stamp[reader.index] = Long.parseLong(text.substring(10).trim());
				}
			}

			@Override
			public void frame(SseReaders.Reader reader, String event, String data) {
				int i = reader.index;
				if (stamp[i] >= 0) {
					transits.add(epochMicros() - stamp[i]);
					stamp[i] = -1;
					stamped[i]++;
				}
				events[i]++;
				if (data.equals("[DONE]")) {
					done[i] = true;
				}
				else if (data.contains("\"content\":\"") && !data.contains("\"content\":\"\"")) {
					content[i]++;
				}
			}

		};
		try (SseReaders readers = SseReaders.open(uri, request, count, 1, handler)) {
			if (!readers.awaitFinished(Duration.ofSeconds(60))) {
				fail(round, "stamped streams " + url + ": not all ended within 60 s");
			}
			readers.problems().forEach((problem) -> fail(round, "stamped stream " + url + ": " + problem));
		}
		synchronized (transits) {
			for (int i = 0; i < count; i++) {
				if (!done[i] || content[i] != 32 || stamped[i] != events[i]) {
					fail(round, "stamped stream " + url + ": done " + done[i] + ", " + content[i] + " content chunks, "
							+ stamped[i] + " stamps for " + events[i] + " events");
				}
			}
			return new ArrayList<>(transits);
		}
	}

	/** Wall-clock microseconds since the epoch, as the test LLM stamps them. */
	static long epochMicros() {
		java.time.Instant now = java.time.Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

	static double micros(long value) {
		return round3(value / 1e3);
	}

	static void slowStreams(int count) throws Exception {
		String extra = ",\"test_llm\":{\"chunks\":32,\"delay_ms\":100}";
		Stats directStats = new Stats();
		Stats viaStats = new Stats();
		directStats.add(burst(direct(), "test-llm", count, extra));
		long cpuBefore = cpuTicks(hub);
		viaStats.add(burst(via(), "bench", count, extra));
		viaStats.cpuTicks += cpuTicks(hub) - cpuBefore;
		record(count + " concurrent slow streams (32 chunks x 100 ms)", directStats, viaStats);
	}

	/** {@code count} streams started together, each checked; measures how the hub holds many open streams. */
	static Round burst(String url, String model, int count, String extra) throws Exception {
		Round round = new Round();
		String body = chatBody(true, extra).replace("MODEL", model);
		long start = System.nanoTime();
		List<CompletableFuture<Void>> all = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			all.add(streamOnce(url, body, round, 32));
		}
		CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		round.elapsedNanos = System.nanoTime() - start;
		return round;
	}

	/**
	 * One room event to {@code subscribers} SSE streams, {@code events} times: the delay of each delivery is from
	 * sending the join that causes the event to the moment its frame is read from that subscriber's socket. Each
	 * subscriber must get every {@code participant:joined} exactly once and in order. The subscribers are raw
	 * sockets on one selector thread ({@link SseReaders}), so the load generator stays cheaper than the hub it
	 * measures (the JDK HttpClient spent ~30 ms of CPU per event on 1,000 streams).
	 */
	static void fanOut(int subscribers, int events, boolean recorded) throws Exception {
		long[] sentAt = new long[events];
		List<Long> sorted = new ArrayList<>();
		long expected = (long) subscribers * events;
		try (SseReaders readers = SseReaders.open(URI.create(hubUrl), "/rooms/" + roomCode + "/events", subscribers,
				events)) {
			if (!readers.awaitConnected(Duration.ofSeconds(60))) {
				failures.add("fan-out: only " + readers.connected() + " of " + subscribers + " subscribers connected");
			}
			Map<String, Long> hubThreads = threadTicks(hub.pid());
			Map<String, Long> ownThreads = threadTicks(ProcessHandle.current().pid());
			long loopStart = System.nanoTime();
			for (int i = 0; i < events; i++) {
				String id = "fanout-" + i;
				String join = "{\"id\":\"" + id + "\",\"nickname\":\"fan\",\"model\":\"m\",\"endpoint\":\"" + llmUrl
						+ "\"}";
				sentAt[i] = System.nanoTime();
				HttpResponse<String> response = HTTP.send(post(hubUrl + "/rooms/" + roomCode + "/join", join),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 201) {
					failures.add("fan-out join answered " + response.statusCode());
				}
				readers.awaitDeliveries(i, Duration.ofSeconds(10));
				HTTP.send(HttpRequest.newBuilder(URI.create(hubUrl + "/rooms/" + roomCode + "/leave/" + id))
					.DELETE()
					.build(), HttpResponse.BodyHandlers.discarding());
			}
			if (System.getenv("BENCH_THREADS") != null) {
				System.out.printf(Locale.ROOT, "fan-out loop %.0f ms%n", (System.nanoTime() - loopStart) / 1e6);
				printDelta("hub", hubThreads, threadTicks(hub.pid()));
				printDelta("bench", ownThreads, threadTicks(ProcessHandle.current().pid()));
			}
			sorted.addAll(readers.delays(sentAt));
			if (System.getenv("BENCH_THREADS") != null) {
				StringBuilder perEvent = new StringBuilder("per event min/p50/max ms:");
				for (int i = 0; i < events; i++) {
					List<Long> one = readers.delays(sentAt, i);
					perEvent.append(String.format(Locale.ROOT, " %.0f/%.0f/%.0f", ms(percentile(one, 0)),
							ms(percentile(one, 50)), ms(percentile(one, 100))));
				}
				System.out.println(perEvent);
			}
			readers.problems().stream().limit(5).forEach((problem) -> failures.add("fan-out: " + problem));
		}
		Collections.sort(sorted);
		if (sorted.size() < expected) {
			failures.add("fan-out: " + sorted.size() + " of " + expected + " deliveries arrived");
		}
		if (!recorded) {
			System.out.printf(Locale.ROOT, "fan-out warm-up: deliveries %d  p50 %.2f ms  p99 %.2f ms%n", sorted.size(),
					ms(percentile(sorted, 50)), ms(percentile(sorted, 99)));
			return;
		}
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("scenario", "SSE fan-out to " + subscribers + " subscribers (" + events + " events)");
		row.put("deliveries", sorted.size());
		row.put("deliveryP50Ms", ms(percentile(sorted, 50)));
		row.put("deliveryP99Ms", ms(percentile(sorted, 99)));
		row.put("hubPeakRssMiB", peakRssMiB(hub));
		results.add(row);
		System.out.printf(Locale.ROOT, "%-48s deliveries %d  p50 %.2f ms  p99 %.2f ms%n", row.get("scenario"),
				sorted.size(), ms(percentile(sorted, 50)), ms(percentile(sorted, 99)));
	}

	/**
	 * Many SSE streams read from plain non-blocking sockets by one selector thread: HTTP/1.1 response head, chunked
	 * transfer decoding and SSE framing, done by hand on the raw bytes. A frame counts when its blank line is read;
	 * its arrival time is taken right after the read that completed it.
	 */
	static final class SseReaders implements AutoCloseable {

		private static final String MARKER = "\"id\":\"fanout-";

		private final Selector selector;

		private final Reader[] readers;

		private final long[][] arrivals;

		private final CountDownLatch connected;

		private final CountDownLatch[] deliveries;

		private final AtomicLong delivered = new AtomicLong();

		private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

		private final Thread thread;

		private volatile boolean closed;

		/** Counts down as each response ends (its last, empty chunk). */
		private final CountDownLatch finished;

		/** Frames and comments go here instead of the fan-out bookkeeping when set. */
		private final FrameHandler handler;

		private SseReaders(Selector selector, int count, int events, FrameHandler handler) {
			this.selector = selector;
			this.handler = handler;
			this.finished = new CountDownLatch(count);
			this.readers = new Reader[count];
			this.arrivals = new long[count][events];
			this.connected = new CountDownLatch(count);
			this.deliveries = new CountDownLatch[events];
			for (int i = 0; i < events; i++) {
				this.deliveries[i] = new CountDownLatch(count);
			}
			this.thread = new Thread(this::run, "bench-sse-readers");
			this.thread.setDaemon(true);
		}

		static SseReaders open(URI base, String path, int count, int events) throws IOException {
			byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
					+ "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
			return open(base, request, count, events, null);
		}

		/** {@code count} connections each sending {@code request} and reading its SSE answer. */
		static SseReaders open(URI base, byte[] request, int count, int events, FrameHandler handler)
				throws IOException {
			SseReaders readers = new SseReaders(Selector.open(), count, events, handler);
			InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open();
				channel.configureBlocking(false);
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				Reader reader = new Reader(i, channel, ByteBuffer.wrap(request));
				readers.readers[i] = reader;
				channel.connect(address);
				channel.register(readers.selector, SelectionKey.OP_CONNECT, reader);
			}
			readers.thread.start();
			return readers;
		}

		boolean awaitConnected(Duration timeout) throws InterruptedException {
			return this.connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		long connected() {
			return this.readers.length - this.connected.getCount();
		}

		/** Waits until every subscriber has event {@code index}, or the timeout. */
		void awaitDeliveries(int index, Duration timeout) throws InterruptedException {
			this.deliveries[index].await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Every delivery's delay, from the moment its event's request was sent. */
		List<Long> delays(long[] sentAt) {
			List<Long> delays = new ArrayList<>();
			this.delivered.get(); // reads after the selector thread's writes
			for (long[] subscriber : this.arrivals) {
				for (int event = 0; event < sentAt.length; event++) {
					if (subscriber[event] != 0) {
						delays.add(subscriber[event] - sentAt[event]);
					}
				}
			}
			return delays;
		}

		List<Long> delays(long[] sentAt, int event) {
			List<Long> delays = new ArrayList<>();
			for (long[] subscriber : this.arrivals) {
				if (subscriber[event] != 0) {
					delays.add(subscriber[event] - sentAt[event]);
				}
			}
			return delays;
		}

		List<String> problems() {
			return this.problems;
		}

		private void run() {
			ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
			byte[] bytes = new byte[buffer.capacity()];
			try {
				while (!this.closed) {
					this.selector.select(100);
					for (SelectionKey key : this.selector.selectedKeys()) {
						Reader reader = (Reader) key.attachment();
						try {
							if (key.isConnectable()) {
								reader.channel.finishConnect();
								reader.channel.write(reader.request);
								key.interestOps(SelectionKey.OP_READ);
								continue;
							}
							buffer.clear();
							int read = reader.channel.read(buffer);
							if (read < 0) {
								key.cancel();
								if (!this.closed) {
									this.problems.add("subscriber " + reader.index + " closed by the hub");
								}
								continue;
							}
							long now = System.nanoTime();
							buffer.flip();
							buffer.get(bytes, 0, read);
							reader.accept(bytes, read, now, this);
						}
						catch (IOException ex) {
							key.cancel();
							this.problems.add("subscriber " + reader.index + ": " + ex);
						}
					}
					this.selector.selectedKeys().clear();
				}
			}
			catch (IOException | RuntimeException ex) {
				this.problems.add("selector: " + ex);
			}
		}

		boolean awaitFinished(Duration timeout) throws InterruptedException {
			return this.finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		void onComment(Reader reader, String text) {
			if (this.handler != null) {
				this.handler.comment(reader, text);
			}
		}

		void onFrame(Reader reader, String event, String data, long now) {
			if (this.handler != null) {
				this.handler.frame(reader, event, data);
				return;
			}
			if (event.equals("connected")) {
				if (!data.startsWith("{\"clientId\":\"")) {
					this.problems.add("connected frame without clientId: " + clip(data));
				}
				this.connected.countDown();
				return;
			}
			if (!event.equals("participant:joined")) {
				return;
			}
			int at = data.indexOf(MARKER);
			if (at < 0) {
				return;
			}
			int from = at + MARKER.length();
			int index = Integer.parseInt(data.substring(from, data.indexOf('"', from)));
			long[] arrivals = this.arrivals[reader.index];
			if (index != reader.nextEvent || !data.contains("\"nickname\":\"fan\"")) {
				this.problems.add("subscriber " + reader.index + " expected event " + reader.nextEvent + ", got "
						+ clip(data));
				return;
			}
			reader.nextEvent++;
			arrivals[index] = now;
			this.delivered.incrementAndGet();
			this.deliveries[index].countDown();
		}

		@Override
		public void close() throws IOException, InterruptedException {
			this.closed = true;
			this.selector.wakeup();
			this.thread.join(5000);
			for (Reader reader : this.readers) {
				if (reader != null) {
					reader.channel.close();
				}
			}
			this.selector.close();
		}

		/** One stream's parser state: response head, then chunk size / chunk data / chunk end, inside it SSE lines. */
		static final class Reader {

			final int index;

			final SocketChannel channel;

			final ByteBuffer request;

			int nextEvent;

			private int state; // 0 head, 1 chunk size, 2 chunk data, 3 chunk CRLF, 4 done

			private long chunkLeft;

			private final StringBuilder head = new StringBuilder();

			private final StringBuilder chunkSize = new StringBuilder();

			private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(512);

			private String event = "";

			private final StringBuilder data = new StringBuilder();

			Reader(int index, SocketChannel channel, ByteBuffer request) {
				this.index = index;
				this.channel = channel;
				this.request = request;
			}

			void accept(byte[] bytes, int length, long now, SseReaders owner) {
				for (int i = 0; i < length; i++) {
					byte b = bytes[i];
					switch (this.state) {
						case 0 -> {
							this.head.append((char) b);
							int size = this.head.length();
							if (size >= 4 && this.head.lastIndexOf("\r\n\r\n") == size - 4) {
								String text = this.head.toString();
								if (!text.startsWith("HTTP/1.1 200")
										|| !text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
									owner.problems.add("subscriber " + this.index + ": " + clip(text));
									this.state = 4;
								}
								else {
									this.state = 1;
								}
							}
						}
						case 1 -> {
							if (b == '\n') {
								String size = this.chunkSize.toString().trim();
								this.chunkSize.setLength(0);
								int semicolon = size.indexOf(';');
								this.chunkLeft = Long.parseLong((semicolon < 0) ? size : size.substring(0, semicolon),
										16);
								this.state = (this.chunkLeft == 0) ? 4 : 2;
								if (this.chunkLeft == 0) {
									owner.finished.countDown();
								}
							}
							else {
								this.chunkSize.append((char) b);
							}
						}
						case 2 -> {
							sse(b, now, owner);
							if (--this.chunkLeft == 0) {
								this.state = 3;
							}
						}
						case 3 -> {
							if (b == '\n') {
								this.state = 1;
							}
						}
						default -> {
							return;
						}
					}
				}
			}

			private void sse(byte b, long now, SseReaders owner) {
				if (b != '\n') {
					this.line.write(b);
					return;
				}
				String text = this.line.toString(StandardCharsets.UTF_8);
				this.line.reset();
				if (text.endsWith("\r")) {
					text = text.substring(0, text.length() - 1);
				}
				if (text.isEmpty()) {
					if (!this.event.isEmpty() || this.data.length() > 0) {
						owner.onFrame(this, this.event, this.data.toString(), now);
					}
					this.event = "";
					this.data.setLength(0);
				}
				else if (text.startsWith(":")) {
					owner.onComment(this, text);
				}
				else if (text.startsWith("event:")) {
					this.event = text.substring(6).strip();
				}
				else if (text.startsWith("data:")) {
					this.data.append(text, text.startsWith("data: ") ? 6 : 5, text.length());
				}
			}

		}

	}

	/** What a non-fan-out use of {@link SseReaders} does with each frame and comment (on the selector thread). */
	interface FrameHandler {

		void frame(SseReaders.Reader reader, String event, String data);

		void comment(SseReaders.Reader reader, String text);

	}

	// ---- load engine -------------------------------------------------------------------------------------------

	static final class Round {

		final ConcurrentLinkedQueue<Long> firstChunk = new ConcurrentLinkedQueue<>();

		final ConcurrentLinkedQueue<Long> total = new ConcurrentLinkedQueue<>();

		final AtomicLong chunks = new AtomicLong();

		final AtomicInteger errors = new AtomicInteger();

		long elapsedNanos;

	}

	static final class Stats {

		final List<Long> firstChunk = new ArrayList<>();

		final List<Long> total = new ArrayList<>();

		long chunks;

		long requests;

		long errors;

		long nanos;

		long cpuTicks;

		void add(Round round) {
			this.firstChunk.addAll(round.firstChunk);
			this.total.addAll(round.total);
			this.chunks += round.chunks.get();
			this.requests += round.total.size();
			this.errors += round.errors.get();
			this.nanos += round.elapsedNanos;
		}

		double perSecond(long count) {
			return count / (this.nanos / 1e9);
		}

	}

	/** {@code concurrency} clients each sending requests back to back for {@code length}. */
	static Round runRound(String url, String model, boolean stream, int concurrency, Duration length, String extra)
			throws Exception {
		Round round = new Round();
		String body = chatBody(stream, extra).replace("MODEL", model);
		long start = System.nanoTime();
		long deadline = start + length.toNanos();
		List<CompletableFuture<Void>> clients = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			clients.add(loop(url, body, stream, deadline, round));
		}
		CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(length.toSeconds() + 120,
				TimeUnit.SECONDS);
		round.elapsedNanos = System.nanoTime() - start;
		return round;
	}

	static CompletableFuture<Void> loop(String url, String body, boolean stream, long deadline, Round round) {
		if (System.nanoTime() >= deadline) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> one = stream ? streamOnce(url, body, round, CHUNKS) : plainOnce(url, body, round);
		return one.thenCompose((ignored) -> loop(url, body, stream, deadline, round));
	}

	static CompletableFuture<Void> plainOnce(String url, String body, Round round) {
		long start = System.nanoTime();
		return HTTP.sendAsync(post(url, body), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
			long elapsed = System.nanoTime() - start;
			if (error != null || response.statusCode() != 200 || !response.body().contains("\"content\":\"")
					|| !response.body().contains("\"usage\"")) {
				fail(round, "non-stream " + url + ": "
						+ ((error != null) ? error : response.statusCode() + " " + clip(response.body())));
				return null;
			}
			round.firstChunk.add(elapsed);
			round.total.add(elapsed);
			round.chunks.incrementAndGet();
			return null;
		});
	}

	static CompletableFuture<Void> streamOnce(String url, String body, Round round, int expectedContentChunks) {
		long start = System.nanoTime();
		StreamCheck check = new StreamCheck();
		return HTTP.sendAsync(post(url, body), HttpResponse.BodyHandlers.fromLineSubscriber(check))
			.handle((response, error) -> {
				long elapsed = System.nanoTime() - start;
				String problem = (error != null) ? error.toString()
						: (response.statusCode() != 200) ? "status " + response.statusCode()
								: check.problem(expectedContentChunks);
				if (problem != null) {
					fail(round, "stream " + url + ": " + problem);
					return null;
				}
				round.firstChunk.add(check.firstChunkAt - start);
				round.total.add(elapsed);
				round.chunks.addAndGet(check.dataLines);
				return null;
			});
	}

	/** Checks one streamed answer: ordered content chunks, numbered by the test LLM, then [DONE]. */
	static final class StreamCheck extends LineSink {

		long firstChunkAt;

		int dataLines;

		int contentChunks;

		boolean done;

		boolean afterDone;

		@Override
		public void onNext(String line) {
			if (line.startsWith("data:")) {
				if (this.dataLines++ == 0) {
					this.firstChunkAt = System.nanoTime();
				}
				if (this.done) {
					this.afterDone = true;
				}
				if (line.contains("[DONE]")) {
					this.done = true;
				}
				else if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
					this.contentChunks++;
				}
			}
			request(1);
		}

		String problem(int expectedContentChunks) {
			if (!this.done || this.afterDone) {
				return "no [DONE] at the end";
			}
			if (this.contentChunks != expectedContentChunks) {
				return this.contentChunks + " content chunks instead of " + expectedContentChunks;
			}
			return null;
		}

	}

	abstract static class LineSink implements Flow.Subscriber<String> {

		private Flow.Subscription subscription;

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		void request(long n) {
			this.subscription.request(n);
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

	static void fail(Round round, String problem) {
		round.errors.incrementAndGet();
		synchronized (failures) {
			if (failures.size() < 20) {
				failures.add(problem);
			}
		}
	}

	// ---- reporting ---------------------------------------------------------------------------------------------

	static void record(String name, Stats direct, Stats via) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("scenario", name);
		row.put("direct", summary(direct));
		row.put("via", summary(via));
		double ratioP50 = ratio(percentile(via.total, 50), percentile(direct.total, 50));
		double ratioTtfc = ratio(percentile(via.firstChunk, 50), percentile(direct.firstChunk, 50));
		double throughput = via.perSecond(via.requests) / direct.perSecond(direct.requests);
		row.put("latencyP50Ratio", round2(ratioP50));
		row.put("firstChunkP50Ratio", round2(ratioTtfc));
		row.put("throughputRatio", round2(throughput));
		row.put("hubCpuMsPerRequest", round3(via.cpuTicks * 10.0 / Math.max(1, via.requests)));
		row.put("hubPeakRssMiB", peakRssMiB(hub));
		results.add(row);
		System.out.printf(Locale.ROOT,
				"%-48s DIRECT p50 %7.2f ms p99 %7.2f ms %8.0f req/s | VIA p50 %7.2f ms p99 %7.2f ms %8.0f req/s"
						+ " | ratio p50 x%.2f ttfc x%.2f thr x%.2f | hub %.3f cpu-ms/req, rss %d MiB%n",
				name, ms(percentile(direct.total, 50)), ms(percentile(direct.total, 99)),
				direct.perSecond(direct.requests), ms(percentile(via.total, 50)), ms(percentile(via.total, 99)),
				via.perSecond(via.requests), ratioP50, ratioTtfc, throughput, row.get("hubCpuMsPerRequest"),
				peakRssMiB(hub));
		if (direct.errors + via.errors > 0) {
			failures.add(name + ": " + direct.errors + " direct and " + via.errors + " via errors");
		}
	}

	static Map<String, Object> summary(Stats stats) {
		Collections.sort(stats.firstChunk);
		Collections.sort(stats.total);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("requests", stats.requests);
		summary.put("errors", stats.errors);
		summary.put("firstChunkP50Ms", ms(percentile(stats.firstChunk, 50)));
		summary.put("firstChunkP99Ms", ms(percentile(stats.firstChunk, 99)));
		summary.put("totalP50Ms", ms(percentile(stats.total, 50)));
		summary.put("totalP99Ms", ms(percentile(stats.total, 99)));
		summary.put("requestsPerSecond", Math.round(stats.perSecond(stats.requests)));
		summary.put("chunksPerSecond", Math.round(stats.perSecond(stats.chunks)));
		return summary;
	}

	static void report(Path out) throws IOException {
		StringBuilder json = new StringBuilder("{\n  \"results\": [\n");
		for (int i = 0; i < results.size(); i++) {
			json.append("    ").append(toJson(results.get(i))).append(i + 1 < results.size() ? ",\n" : "\n");
		}
		json.append("  ],\n  \"failures\": ").append(failures.size()).append("\n}\n");
		Files.writeString(out.resolve("results.json"), json);
		System.out.println("results: " + out.resolve("results.json").toAbsolutePath());
	}

	@SuppressWarnings("unchecked")
	static String toJson(Object value) {
		if (value instanceof Map<?, ?> map) {
			StringBuilder out = new StringBuilder("{");
			for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
				if (out.length() > 1) {
					out.append(", ");
				}
				out.append('"').append(entry.getKey()).append("\": ").append(toJson(entry.getValue()));
			}
			return out.append('}').toString();
		}
		if (value instanceof String text) {
			return '"' + text.replace("\"", "\\\"") + '"';
		}
		return String.valueOf(value);
	}

	static long percentile(List<Long> sorted, int p) {
		if (sorted.isEmpty()) {
			return 0;
		}
		List<Long> copy = new ArrayList<>(sorted);
		Collections.sort(copy);
		int index = (int) Math.ceil(p / 100.0 * copy.size()) - 1;
		return copy.get(Math.max(0, Math.min(copy.size() - 1, index)));
	}

	static double ms(long nanos) {
		return round3(nanos / 1e6);
	}

	static double ratio(long a, long b) {
		return (b == 0) ? 0 : (double) a / b;
	}

	static double round2(double v) {
		return Math.round(v * 100) / 100.0;
	}

	static double round3(double v) {
		return Math.round(v * 1000) / 1000.0;
	}

	static String clip(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "…" : text;
	}

	// ---- processes ---------------------------------------------------------------------------------------------

	static void setUpRoom() throws Exception {
		roomCode = joinedRoom(hubUrl, "bench", "bench-heartbeat");
	}

	/**
	 * A room on {@code hub} with the test LLM joined as participant (a cap the hub never reaches), heart-beating
	 * for the whole run; returns its code.
	 */
	static String joinedRoom(String hub, String name, String heartbeatThread) throws Exception {
		HttpResponse<String> created = HTTP.send(post(hub + "/rooms", "{\"name\":\"" + name + "\"}"),
				HttpResponse.BodyHandlers.ofString());
		int at = created.body().indexOf("\"code\":\"") + 8;
		String code = created.body().substring(at, at + 6);
		String join = "{\"id\":\"bench\",\"nickname\":\"bench\",\"model\":\"test-llm\",\"endpoint\":\"" + llmUrl
				+ "\",\"maxConcurrent\":5000}";
		HttpResponse<String> joined = HTTP.send(post(hub + "/rooms/" + code + "/join", join),
				HttpResponse.BodyHandlers.ofString());
		if (joined.statusCode() != 201) {
			throw new IllegalStateException("join failed: " + joined.statusCode() + " " + joined.body());
		}
		// Keep the participant online for long runs.
		Thread heartbeat = new Thread(() -> {
			while (true) {
				try {
					TimeUnit.SECONDS.sleep(5);
					HTTP.send(post(hub + "/rooms/" + code + "/health", "{\"id\":\"bench\"}"),
							HttpResponse.BodyHandlers.discarding());
				}
				catch (Exception ex) {
					return;
				}
			}
		}, heartbeatThread);
		heartbeat.setDaemon(true);
		heartbeat.start();
		return code;
	}

	static HttpRequest post(String url, String body) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	static Process start(Path log, String... command) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	static void stop(Process process) {
		if (process != null && process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(15, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	static void awaitHealthy(String url) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not up yet
			}
			TimeUnit.MILLISECONDS.sleep(20);
		}
		throw new IllegalStateException(url + " did not answer 200 within 180 s");
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** utime + stime of a process, in clock ticks (1/100 s on Linux). */
	static long cpuTicks(Process process) {
		try {
			String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	static Map<String, Long> threadTicks(long pid) {
		Map<String, Long> ticks = new java.util.TreeMap<>();
		try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
					ticks.merge("(sys)", Long.parseLong(fields[12]), Long::sum);
				}
				catch (IOException | RuntimeException ex) {
					// thread ended
				}
			}
		}
		catch (IOException ex) {
			// not on Linux
		}
		return ticks;
	}

	static void printDelta(String label, Map<String, Long> before, Map<String, Long> after) {
		StringBuilder line = new StringBuilder(label).append(" cpu ms:");
		long total = 0;
		for (Map.Entry<String, Long> entry : after.entrySet()) {
			long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
			total += entry.getKey().equals("(sys)") ? 0 : delta;
			if (delta > 0 && !entry.getKey().equals("(sys)")) {
				line.append(' ').append(entry.getKey()).append('=').append(delta * 10);
			}
		}
		long sys = after.getOrDefault("(sys)", 0L) - before.getOrDefault("(sys)", 0L);
		System.out.println(line.append(" total=").append(total * 10).append(" of which kernel=").append(sys * 10));
	}

	static long peakRssMiB(Process process) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
				}
			}
		}
		catch (IOException ex) {
			// not on Linux
		}
		return -1;
	}


	// ---- scale-out (bench.mode=scaleout) -----------------------------------------------------------------------

	/**
	 * One in-memory hub against two hubs on one Redis, in the same run on the same test LLM: streamed completions at
	 * c=64 (split 32 + 32 over the two Redis hubs), and how long an event takes to reach an SSE subscriber (the
	 * in-memory hub's own stream; across hubs, a request on hub A seen on hub B's stream). Needs {@code redis-server}
	 * on the PATH; it runs on a free loopback port with nothing saved.
	 */
	static final class ScaleOut {

		static void run(Path jar) throws Exception {
			Path out = Path.of("target", "bench");
			Files.createDirectories(out);
			List<Process> processes = new ArrayList<>();
			try {
				int redisPort = freePort();
				processes.add(start(out.resolve("redis.log"), "redis-server", "--port", String.valueOf(redisPort),
						"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
				int llmPort = freePort();
				processes.add(start(out.resolve("test-llm.log"), "java", "-jar", jar.toString(), "test-llm", "--port",
						String.valueOf(llmPort), "--chunks", String.valueOf(CHUNKS)));
				llmUrl = "http://127.0.0.1:" + llmPort;
				String redisUrl = "redis://127.0.0.1:" + redisPort;
				String memory = startHub(jar, out, "hub-memory", processes);
				String hubA = startHub(jar, out, "hub-redis-a", processes, "-Dgambiarra.store.type=redis",
						"-Dgambiarra.store.redis.url=" + redisUrl);
				String hubB = startHub(jar, out, "hub-redis-b", processes, "-Dgambiarra.store.type=redis",
						"-Dgambiarra.store.redis.url=" + redisUrl);
				awaitHealthy(llmUrl + "/v1/models");
				String memoryRoom = room(memory);
				String club = room(hubA);

				Duration warm = Duration.ofSeconds(10);
				Duration length = Duration.ofSeconds(5);
				streams(memory, memoryRoom, 64, warm);
				streams(hubA, club, 32, warm);
				streams(hubB, club, 32, warm);
				Stats one = new Stats();
				Stats two = new Stats();
				for (int i = 0; i < 3; i++) {
					one.add(streams(memory, memoryRoom, 64, length));
					CompletableFuture<Round> onA = CompletableFuture.supplyAsync(() -> streams(hubA, club, 32, length));
					Round onB = streams(hubB, club, 32, length);
					two.add(onA.get());
					two.add(onB);
					two.nanos -= onB.elapsedNanos;
				}
				print("stream 64 chunks c=64, one in-memory hub", one);
				print("stream 64 chunks c=64, two hubs on Redis (32 + 32)", two);
				events("events, in-memory hub (request and stream on the same hub)", memory, memory, memoryRoom, 1000);
				events("events across hubs (request on hub A, stream on hub B)", hubA, hubB, club, 1000);
			}
			finally {
				for (int i = processes.size() - 1; i >= 0; i--) {
					stop(processes.get(i));
				}
			}
			if (!failures.isEmpty()) {
				System.err.println("BENCHMARK FAILED: " + failures.size() + " problem(s); first: " + failures.get(0));
				System.exit(1);
			}
		}

		static String startHub(Path jar, Path out, String name, List<Process> processes, String... properties)
				throws Exception {
			int port = freePort();
			List<String> command = new ArrayList<>(List.of("java"));
			String opts = System.getenv("HUB_JAVA_OPTS");
			if (opts != null && !opts.isBlank()) {
				command.addAll(List.of(opts.trim().split("\\s+")));
			}
			command.addAll(List.of(properties));
			command.addAll(List.of("-Dserver.port=" + port, "-Dserver.address=127.0.0.1",
					"-Dgambiarra.demo.enabled=false", "-Dgambiarra.console.enabled=false",
					"-Dlogging.level.dev.gambiarra=WARN", "-jar", jar.toString()));
			processes.add(start(out.resolve(name + ".log"), command.toArray(String[]::new)));
			String url = "http://127.0.0.1:" + port;
			awaitHealthy(url + "/health");
			return url;
		}

		/** A room on {@code hub} with the test LLM as participant, heart-beating for the whole run. */
		static String room(String hub) throws Exception {
			return joinedRoom(hub, "scaleout", "scaleout-heartbeat");
		}

		static Round streams(String hub, String code, int concurrency, Duration length) {
			try {
				return runRound(hub + "/rooms/" + code + "/v1/chat/completions", "bench", true, concurrency, length,
						"");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		static void print(String name, Stats stats) {
			List<Long> total = new ArrayList<>(stats.total);
			Collections.sort(total);
			List<Long> first = new ArrayList<>(stats.firstChunk);
			Collections.sort(first);
			System.out.printf(Locale.ROOT,
					"%-52s %8.0f req/s  first chunk p50 %6.2f p99 %6.2f ms  total p50 %6.2f p99 %6.2f ms  errors %d%n",
					name, stats.perSecond(stats.requests), ms(percentile(first, 50)), ms(percentile(first, 99)),
					ms(percentile(total, 50)), ms(percentile(total, 99)), stats.errors);
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("scenario", name);
			result.put("requestsPerSecond", Math.round(stats.perSecond(stats.requests)));
			result.put("firstChunkP99Ms", round2(ms(percentile(first, 99))));
			result.put("totalP99Ms", round2(ms(percentile(total, 99))));
			results.add(result);
		}

		/**
		 * {@code count} requests (8 at a time) sent to {@code sender}, each with its own X-Request-Id; the time from
		 * sending one to its {@code llm:request} event on {@code watcher}'s room stream.
		 */
		static void events(String name, String sender, String watcher, String code, int count) throws Exception {
			java.util.concurrent.ConcurrentHashMap<String, Long> sent = new java.util.concurrent.ConcurrentHashMap<>();
			java.util.concurrent.ConcurrentLinkedQueue<Long> delays = new java.util.concurrent.ConcurrentLinkedQueue<>();
			CountDownLatch seen = new CountDownLatch(count);
			CountDownLatch connected = new CountDownLatch(1);
			HttpRequest subscribe = HttpRequest.newBuilder(URI.create(watcher + "/rooms/" + code + "/events"))
				.header("Accept", "text/event-stream")
				.build();
			CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = HTTP.sendAsync(subscribe,
					HttpResponse.BodyHandlers.ofLines());
			Thread reader = new Thread(() -> {
				try {
					String event = "";
					for (String line : (Iterable<String>) stream.get().body()::iterator) {
						if (line.startsWith("event:")) {
							event = line.substring(6).strip();
							if (event.equals("connected")) {
								connected.countDown();
							}
						}
						else if (line.startsWith("data:") && event.equals("llm:request")) {
							int at = line.indexOf("\"requestId\":\"");
							if (at >= 0) {
								String id = line.substring(at + 13, line.indexOf('"', at + 13));
								Long start = sent.get(id);
								if (start != null) {
									delays.add(System.nanoTime() - start);
									seen.countDown();
								}
							}
						}
					}
				}
				catch (Exception ex) {
					connected.countDown();
				}
			}, "scaleout-events");
			reader.setDaemon(true);
			reader.start();
			if (!connected.await(10, TimeUnit.SECONDS)) {
				failures.add(name + ": the event stream did not open");
				return;
			}
			String body = chatBody(false, "").replace("MODEL", "bench");
			java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(8);
			for (int i = 0; i < count; i++) {
				String id = "scaleout-" + i + "-" + System.nanoTime();
				window.acquire();
				sent.put(id, System.nanoTime());
				HTTP.sendAsync(HttpRequest.newBuilder(URI.create(sender + "/rooms/" + code + "/v1/chat/completions"))
					.timeout(Duration.ofSeconds(60))
					.header("Content-Type", "application/json")
					.header("X-Request-Id", id)
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> window.release());
			}
			if (!seen.await(60, TimeUnit.SECONDS)) {
				failures.add(name + ": " + seen.getCount() + " of " + count + " llm:request events never arrived");
			}
			stream.cancel(true);
			List<Long> sorted = new ArrayList<>(delays);
			Collections.sort(sorted);
			System.out.printf(Locale.ROOT, "%-52s %d events  delivery p50 %6.2f p99 %6.2f max %6.2f ms%n", name,
					sorted.size(), ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
					sorted.isEmpty() ? 0.0 : ms(sorted.get(sorted.size() - 1)));
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("scenario", name);
			result.put("deliveryP50Ms", round2(ms(percentile(sorted, 50))));
			result.put("deliveryP99Ms", round2(ms(percentile(sorted, 99))));
			results.add(result);
		}

	}

}

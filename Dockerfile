# syntax=docker/dockerfile:1
#
# Gambiarra hub image.
#   docker build -t gambiarra .
#   docker run --rm -p 3000:3000 gambiarra
# Configuration: environment variables (GAMBIARRA_*, SERVER_*) or an application.yml mounted at /app/config.
# See docs/operations.md.

# ---- build: compile with the Maven wrapper and split the Boot jar into layers ----
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY --chmod=755 mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY src/ src/
# The cache mount keeps Maven and the dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package \
	&& cp target/gambiarra-*.jar /src/app.jar
# Boot 4 layer extraction (layertools is gone): dependencies/, spring-boot-loader/, snapshot-dependencies/,
# application/ (with app.jar whose manifest Class-Path points at lib/).
RUN java -Djarmode=tools -jar /src/app.jar extract --layers --destination /layers

# ---- run: a JRE, a non-root user, the layers from the least to the most often changed ----
FROM eclipse-temurin:25-jre
LABEL org.opencontainers.image.title="gambiarra" \
	org.opencontainers.image.description="Gambiarra hub: share local OpenAI-compatible LLMs in rooms" \
	org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 gambiarra \
	&& useradd --system --uid 10001 --gid gambiarra --home-dir /app --no-create-home \
		--shell /usr/sbin/nologin gambiarra
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chmod=755 docker/healthcheck /app/healthcheck
# Spring Boot reads ./config/application.yml (here /app/config) on start: mount a directory there to configure.
RUN mkdir -p /app/config
# Headless hub on every interface of the container; demo room off unless asked for; nothing written to /app;
# no JLine warning about the missing terminal; event subscribers and in-flight request bodies bounded to what the
# 88 MiB heap below holds (raise them with -Xmx, docs/operations.md).
ENV SERVER_ADDRESS=0.0.0.0 \
	SERVER_PORT=3000 \
	GAMBIARRA_CONSOLE_ENABLED=false \
	GAMBIARRA_DEMO_ENABLED=false \
	GAMBIARRA_EVENTS_MAX_SUBSCRIBERS=2000 \
	GAMBIARRA_PROXY_BODY_MEMORY=24MB \
	SPRING_SHELL_INTERACTIVE_ENABLED=false \
	SPRING_SHELL_HISTORY_ENABLED=false \
	LOGGING_LEVEL_ORG_JLINE=ERROR
# Training run for faster starts: the context is created once and the JVM records the classes it loaded and linked
# into an AOT cache (Java 24+; a CDS archive before that). Same JVM flags as the ENTRYPOINT: the cache is made for them.
RUN java -XX:+UseSerialGC -Xmx88m -Xmn16m -XX:MetaspaceSize=64m -XX:ReservedCodeCacheSize=64m \
		-XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar app.jar
USER 10001:10001
EXPOSE 3000
# The JRE image has neither curl nor wget: the check speaks HTTP/1.0 to /health through bash's /dev/tcp.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/app/healthcheck"]
# The hub's production JVM flags (docs/operations.md says why; the benchmark reads its defaults from this line):
# Serial GC, a fixed 88 MiB heap with a 16 MiB young generation, no full GC for metaspace growth while starting, a
# bounded code cache; an OutOfMemoryError ends the process so the runtime restarts it; the AOT cache made above.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx88m", "-Xmn16m", "-XX:MetaspaceSize=64m", "-XX:ReservedCodeCacheSize=64m", \
	"-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=app.aot", "-jar", "app.jar"]

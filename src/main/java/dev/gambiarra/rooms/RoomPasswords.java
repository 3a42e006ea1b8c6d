package dev.gambiarra.rooms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

import dev.gambiarra.web.Ids;

/**
 * Room passwords: hashed with argon2id on a small dedicated scheduler (never on an event loop), verified with
 * argon2 once per room, then checked against a cached keyed proof in constant time, so a protected room costs a
 * proxied request one HMAC, not one argon2 run.
 */
@Component
class RoomPasswords implements DisposableBean {

	private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

	private final Scheduler scheduler;

	private final SecretKeySpec proofKey;

	RoomPasswords() {
		int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
		this.scheduler = Schedulers.newBoundedElastic(threads, 256, "argon2");
		byte[] key = new byte[32];
		Ids.nextBytes(key);
		this.proofKey = new SecretKeySpec(key, "HmacSHA256");
	}

	Mono<String> hash(String password) {
		return Mono.fromCallable(() -> this.encoder.encode(password)).subscribeOn(this.scheduler);
	}

	/** Whether {@code candidate} opens {@code room}. Open rooms accept anything. */
	Mono<Boolean> matches(Room room, @Nullable String candidate) {
		String hash = room.passwordHash();
		if (hash == null) {
			return Mono.just(true);
		}
		if (candidate == null || candidate.isEmpty()) {
			return Mono.just(false);
		}
		byte[] proof = room.passwordProof().get();
		byte[] candidateProof = proof(candidate);
		if (proof != null) {
			return Mono.just(MessageDigest.isEqual(proof, candidateProof));
		}
		return Mono.fromCallable(() -> this.encoder.matches(candidate, hash))
			.subscribeOn(this.scheduler)
			.doOnNext((ok) -> {
				if (ok) {
					room.passwordProof().compareAndSet(null, candidateProof);
				}
			});
	}

	private byte[] proof(String candidate) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.proofKey);
			return mac.doFinal(candidate.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required", ex);
		}
	}

	@Override
	public void destroy() {
		this.scheduler.dispose();
	}

}

package dev.gambiarra.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Redis unreachable at start: say so plainly instead of a stack trace. */
class StoreFailureAnalyzer extends AbstractFailureAnalyzer<StoreUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StoreUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(), "Start Redis, fix gambiarra.store.redis.url, or set "
				+ "gambiarra.store.redis.fallback-to-memory=true to start with the in-memory store.", cause);
	}

}

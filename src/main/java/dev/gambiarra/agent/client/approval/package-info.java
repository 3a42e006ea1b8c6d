/**
 * The user's say over the agent's tool requests: the console the agent talks and asks on, each request's
 * {@link dev.gambiarra.agent.client.approval.RiskLevel}, the {@link dev.gambiarra.agent.client.approval.ApprovalPolicy}
 * (what runs without asking) and {@link dev.gambiarra.agent.client.approval.Approvals}, which asks. Both the client
 * ({@code agent.client}) and its tools ({@code agent.client.tools}) use it; it uses neither.
 */
@NullMarked
package dev.gambiarra.agent.client.approval;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.gambiarra.agent.client.security;

import org.jspecify.annotations.NullMarked;

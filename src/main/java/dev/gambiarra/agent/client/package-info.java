@NullMarked
package dev.gambiarra.agent.client;

import org.jspecify.annotations.NullMarked;

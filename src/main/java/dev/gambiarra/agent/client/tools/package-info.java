@NullMarked
package dev.gambiarra.agent.client.tools;

import org.jspecify.annotations.NullMarked;

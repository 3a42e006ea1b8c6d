@NullMarked
package dev.gambiarra.events;

import org.jspecify.annotations.NullMarked;

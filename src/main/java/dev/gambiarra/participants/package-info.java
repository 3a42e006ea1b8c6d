@NullMarked
package dev.gambiarra.participants;

import org.jspecify.annotations.NullMarked;

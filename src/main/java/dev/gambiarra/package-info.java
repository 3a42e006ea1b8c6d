@NullMarked
package dev.gambiarra;

import org.jspecify.annotations.NullMarked;

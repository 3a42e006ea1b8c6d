@NullMarked
package dev.gambiarra.console;

import org.jspecify.annotations.NullMarked;

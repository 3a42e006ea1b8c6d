@NullMarked
package dev.gambiarra.rooms;

import org.jspecify.annotations.NullMarked;

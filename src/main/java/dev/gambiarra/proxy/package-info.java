@NullMarked
package dev.gambiarra.proxy;

import org.jspecify.annotations.NullMarked;

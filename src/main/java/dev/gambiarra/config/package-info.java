@NullMarked
package dev.gambiarra.config;

import org.jspecify.annotations.NullMarked;

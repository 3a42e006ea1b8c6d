@NullMarked
package dev.gambiarra.web;

import org.jspecify.annotations.NullMarked;

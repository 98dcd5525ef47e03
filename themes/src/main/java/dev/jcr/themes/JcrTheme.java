package dev.jcr.themes;

import com.googlecode.lanterna.graphics.Theme;

/**
 * A loaded theme: its name (bundled name, or the file name of a user theme), a one-line description and
 * the Lanterna theme itself.
 */
public record JcrTheme(String name, String description, boolean bundled, Theme theme) {
}

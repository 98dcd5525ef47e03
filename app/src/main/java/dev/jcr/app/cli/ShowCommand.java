package dev.jcr.app.cli;

import dev.jcr.show.ShowMain;
import picocli.CommandLine.Command;

/**
 * {@code jcr show ...}: the same commands as {@code jcr-show} (decode, encode, show, info, and
 * what image-viewer adds later); picocli inherits the subcommands from {@link ShowMain}.
 */
@Command(name = "show", description = "Inspect checkpoint images (the same as jcr-show).")
public final class ShowCommand extends ShowMain {
}

package dev.jcr.show;

import picocli.CommandLine.Option;

/** The {@code --color} option shared by the commands that print for people. */
public final class ColorOption {

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour output: auto (only on a terminal), always, never. Default: ${DEFAULT-VALUE}.")
    Colors.Mode mode = Colors.Mode.auto;

    public Colors colors() {
        return Colors.of(mode, Colors.stdoutIsTerminal());
    }
}

package dev.jcr.app.top;

import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.model.DumpAction;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.ProcessSource;
import dev.jcr.app.top.model.SignalSender;
import dev.jcr.themes.ThemeCatalog;
import java.util.concurrent.Executor;

/**
 * What the screens act on, injected so tests can run every action synchronously (BACKGROUND = direct) on
 * real processes.
 */
public record TopServices(ProcessSource source, ImageStore images, DumpAction dump, SignalSender signals,
                          CommandRunner commands, ThemeCatalog themes, Executor background) {
}

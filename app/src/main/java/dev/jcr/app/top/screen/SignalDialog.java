package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.BasicWindow;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.model.SignalSender;

/** F9 / k: choose a signal, confirm, send; the outcome (or kill's reason) goes to the status line. */
public final class SignalDialog {

    private SignalDialog() {
    }

    public static BasicWindow create(Host host, ProcessRow target) {
        ActionListBox list = new ActionListBox();
        BasicWindow[] w = new BasicWindow[1];
        for (String sig : SignalSender.SIGNALS) {
            list.addItem("SIG" + sig, () -> {
                w[0].close();
                Confirm.ask(host, "Send SIG" + sig + "?", "Send SIG" + sig + " to pid " + target.pid() + " (" + target.comm() + ")?",
                        "Send", () -> send(host, target, sig));
            });
        }
        w[0] = Panels.dialog("Signal to " + target.pid() + " " + target.comm(), list);
        return w[0];
    }

    private static void send(Host host, ProcessRow target, String sig) {
        String problem = host.services().signals().send(target.pid(), sig);
        if (problem.isEmpty()) {
            host.info("sent SIG" + sig + " to " + target.pid() + " (" + target.comm() + ")");
            host.refreshNow();
        } else {
            host.error("signal " + sig + " to " + target.pid() + " failed: " + problem);
        }
    }
}

package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;

/**
 * A yes/no question before anything destructive (kill after dump, sending a signal). Non-blocking: the
 * answer runs a callback, so no nested event loop runs inside a key handler. "No" has the focus.
 */
public final class Confirm {

    private Confirm() {
    }

    public static BasicWindow ask(Host host, String title, String question, String yesLabel, Runnable onYes) {
        Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
        root.addComponent(new Label(question));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        BasicWindow[] w = new BasicWindow[1];
        Button no = new Button("No", () -> w[0].close());
        Button yes = new Button(yesLabel, () -> {
            w[0].close();
            onYes.run();
        });
        buttons.addComponent(no);
        buttons.addComponent(yes);
        root.addComponent(buttons);
        w[0] = Panels.dialog(title, root);
        host.gui().addWindow(w[0]);
        w[0].setFocusedInteractable(no);
        return w[0];
    }
}

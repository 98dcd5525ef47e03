package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Window helpers shared by the screens: Esc (and q, F10 where harmless) closes. */
public final class Panels {

    private Panels() {
    }

    /**
     * A window over the whole width between the header's first line and the status line ({@link
     * TopWindowManager}), titled, closed by Esc or q; no shadow, as nothing is left beside it to shade.
     */
    public static BasicWindow expanded(String title, Component content) {
        BasicWindow w = new BasicWindow(title);
        w.setHints(List.of(Window.Hint.EXPANDED, Window.Hint.NO_POST_RENDERING));
        w.setComponent(content);
        closeOnEscape(w, true);
        return w;
    }

    /** A centered modal dialog closed by Esc (q would be typed into its text fields). */
    public static BasicWindow dialog(String title, Component content) {
        BasicWindow w = new BasicWindow(title);
        w.setHints(List.of(Window.Hint.CENTERED, Window.Hint.MODAL));
        w.setComponent(content);
        closeOnEscape(w, false);
        return w;
    }

    private static void closeOnEscape(BasicWindow w, boolean alsoQ) {
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onUnhandledInput(Window basePane, KeyStroke k, AtomicBoolean hasBeenHandled) {
                boolean q = alsoQ && k.getKeyType() == KeyType.Character && k.getCharacter() == 'q';
                if (k.getKeyType() == KeyType.Escape || q || (alsoQ && k.getKeyType() == KeyType.F10)) {
                    basePane.close();
                    hasBeenHandled.set(true);
                }
            }
        });
    }
}

package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The support table in the docs is the one the drivers answer with: one source of truth. */
class SupportTableDocTest {

    private static final String BEGIN = "<!-- support-table:begin -->\n";
    private static final String END = "<!-- support-table:end -->";

    @Test
    void docsCarryTheTableTheDriversDefine() throws IOException {
        Path doc = Path.of("..", "docs", "foundation.md");
        assertTrue(Files.exists(doc), "docs/foundation.md not found from " + Path.of("").toAbsolutePath());
        assertEquals(DriverTable.standard().supportMarkdown(), between(Files.readString(doc)));
    }

    @Test
    void readmeTableWhenPresentAgreesToo() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.exists(readme) ? Files.readString(readme) : "";
        if (text.contains(BEGIN)) {
            assertEquals(DriverTable.standard().supportMarkdown(), between(text));
        }
    }

    @Test
    void everyResourceKindHasARowAndOnlyTheKindsWithADriverAreSupported() {
        Map<ResourceKind, Support> rows = DriverTable.standard().supportTable();
        assertEquals(ResourceKind.values().length - 1, rows.size());
        rows.forEach((k, s) -> {
            boolean driven = switch (k) {
                case MEMORY_MAPPING, THREAD, SIGNAL_STATE, FILE_LOCK, REGULAR_FILE, DIRECTORY, DELETED_FILE, PIPE, FIFO, EVENTFD,
                        CHAR_DEVICE, EVENTPOLL, SIGNALFD, TIMERFD, INOTIFY, FANOTIFY, MEMFD, UNIX_SOCKET, NETLINK_SOCKET, PTY,
                        TCP_SOCKET, UDP_SOCKET -> true;
                default -> false;
            };
            if (driven) {
                assertEquals(Verdict.SUPPORTED, s.verdict(), k.toString());
            } else if (k == ResourceKind.TERMINAL) {
                assertEquals(Verdict.NEEDS_OPTION, s.verdict());
            } else if (k == ResourceKind.USERFAULTFD) {
                // only jcr's own write tracker, which dumps leave out
                assertEquals(Verdict.SUPPORTED, s.verdict());
                assertTrue(s.condition().startsWith("only jcr's own write tracker"), s.condition());
            } else if (refusedWithAReason(k)) {
                assertEquals(Verdict.UNSUPPORTED, s.verdict(), k.toString());
                assertTrue(s.condition().startsWith("refused: "), s.condition());
            } else if (k == ResourceKind.PACKET_SOCKET || k == ResourceKind.RAW_SOCKET) {
                assertEquals(Verdict.UNSUPPORTED, s.verdict());
                assertTrue(s.condition().contains("not supported") && s.condition().length() > 40, s.condition());
            } else {
                assertEquals(new Support(Verdict.UNSUPPORTED, "not supported yet"), s, k.toString());
            }
        });
    }

    /** Kinds whose state the kernel keeps out of reach: refused, saying why (resource.anon.Refused). */
    private static boolean refusedWithAReason(ResourceKind k) {
        return switch (k) {
            case PIDFD, IO_URING, PERF_EVENT, BPF -> true;
            default -> false;
        };
    }

    private static String between(String text) {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        assertTrue(b >= 0 && e > b, "no support-table markers");
        return text.substring(b + BEGIN.length(), e);
    }
}

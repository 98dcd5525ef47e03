package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FdInfoParserTest {

    private static FdDetail detail(FdKind kind, String text) {
        FdInfoParser.FdInfo info = FdInfoParser.parse("/proc/1/fdinfo/3", text);
        return FdInfoParser.detail("/proc/1/fdinfo/3", kind, info);
    }

    @Test
    void commonLinesGiveFlagsInOctalPositionMountAndInode() {
        FdInfoParser.FdInfo info = FdInfoParser.parse("x", "pos:\t352\nflags:\t0102001\nmnt_id:\t27\nino:\t2146708\n");
        assertEquals(352, info.position());
        assertEquals(0102001, info.flags());
        assertEquals(27, info.mntId());
        assertEquals(2146708, info.inode());
    }

    @Test
    void eventfdCounterIsHexadecimal() {
        FdDetail d = detail(FdKind.EVENTFD, "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
                + "eventfd-count:               1f\neventfd-id: 1\neventfd-semaphore: 1\n");
        assertEquals(new FdDetail.Eventfd(31, true), d);
    }

    @Test
    void inotifyWatchesCarryInodeDeviceAndMask() {
        FdDetail d = detail(FdKind.INOTIFY, "pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n"
                + "inotify wd:2 ino:2 sdev:fe00000 mask:200 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:0200000000000000\n"
                + "inotify wd:1 ino:3f7e8 sdev:fe00001 mask:100 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:e8f7030000000000\n");
        assertEquals(new FdDetail.Inotify(List.of(new FdDetail.InotifyWatch(2, 2, 0xfe, 0, 0x200),
                new FdDetail.InotifyWatch(1, 0x3f7e8, 0xfe, 1, 0x100))), d);
    }

    @Test
    void inotifyWatchNumbersAreHexAsTheKernelPrintsThem() {
        FdDetail d = detail(FdKind.INOTIFY, "pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n"
                + "inotify wd:270f ino:2 sdev:fe00000 mask:200 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:0200000000000000\n");
        assertEquals(9999, ((FdDetail.Inotify) d).watches().get(0).wd());
    }

    @Test
    void epollTargets() {
        FdDetail d = detail(FdKind.EVENTPOLL, "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
                + "tfd:        3 events:       19 data:                3  pos:0 ino:40e sdev:10\n"
                + "tfd:       12 events:        1 data: ffffffffffffffff  pos:0 ino:40e sdev:10\n");
        assertEquals(new FdDetail.Epoll(List.of(new FdDetail.EpollTarget(3, 0x19, 3, 0, 0x40e, 0x10, true),
                new FdDetail.EpollTarget(12, 1, -1, 0, 0x40e, 0x10, true))), d);
    }

    @Test
    void signalfdTimerfdFanotifyAndPidfd() {
        String head = "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n";
        assertEquals(new FdDetail.Signalfd(0x801), detail(FdKind.SIGNALFD, head + "sigmask:\t0000000000000801\n"));
        assertEquals(new FdDetail.Timerfd(1, 0, 99_432_436_149L, 5_000_000_000L), detail(FdKind.TIMERFD, head
                + "clockid: 1\nticks: 0\nsettime flags: 00\nit_value: (99, 432436149)\nit_interval: (5, 0)\n"));
        assertEquals(new FdDetail.Timerfd(0, 4, 1_000_000_000L, 0, 3), detail(FdKind.TIMERFD, head
                + "clockid: 0\nticks: 4\nsettime flags: 03\nit_value: (1, 0)\nit_interval: (0, 0)\n"),
                "settime flags are octal: TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET");
        assertEquals(new FdDetail.Fanotify(0, List.of(new FdDetail.FanotifyMark(0x3f7e8, -1, 0x20))),
                detail(FdKind.FANOTIFY, head + "fanotify flags:0 event-flags:8000\n"
                        + "fanotify ino:3f7e8 sdev:fe00000 mflags:0 mask:20 ignored_mask:0 fhandle-bytes:8\n"));
        assertEquals(new FdDetail.Pidfd(6079), detail(FdKind.PIDFD, head + "Pid:\t6079\nNSpid:\t6079\n"));
        assertEquals(new FdDetail.Pidfd(-1), detail(FdKind.PIDFD, head + "Pid:\t-1\n"));
    }

    @Test
    void eventfdWithoutCounterIsAParseError() {
        ProcParseException e = assertThrows(ProcParseException.class,
                () -> detail(FdKind.EVENTFD, "pos:\t0\nflags:\t02\n"));
        assertTrue(e.getMessage().contains("/proc/1/fdinfo/3") && e.getMessage().contains("eventfd-count"),
                e.getMessage());
    }

    @Test
    void missingFlagsLineIsAParseError() {
        assertThrows(ProcParseException.class, () -> FdInfoParser.parse("p", "pos:\t0\n"));
    }
}

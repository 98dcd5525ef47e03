package dev.jcr.image;

import java.nio.file.Path;
import java.util.Set;

/**
 * Another place an image directory can be written to than the local disk: a page server. The dump
 * writes its small images into a local staging directory as usual; its pages files go straight to
 * the sink while they are copied ({@link #pages}); at the commit the sink receives the rest and makes
 * the directory appear on its side, atomically ({@link #publish}).
 */
public interface ImageSink {

    /** Where the sink is, for messages ("page server 10.0.0.2:7000"). */
    String describe();

    /** Starts the directory NAME on the other side (a plain name; its parent link comes with {@link #publish}). */
    void begin(String name);

    /** The pages file NAME of the directory being sent, written by offset. */
    PagesOutput pages(String name);

    /**
     * Sends the files of LOCAL except those already streamed (STREAMED), the text of the parent link
     * (null: none), and commits the directory on the other side; returns once it is safely there.
     */
    void publish(Path local, Set<String> streamed, String parentLink);

    /** Throws the directory being sent away on the other side (best effort: the connection may be gone). */
    void abort();
}

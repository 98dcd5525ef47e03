package dev.jcr.show.testing;

import dev.jcr.show.ShowMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs a jcr-show command line in-process and captures its exit code, stdout and stderr. */
public record Show(int code, String out, String err) {

    public static Show run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = ShowMain.execute(args, new ByteArrayInputStream(new byte[0]), out, new PrintWriter(err, true));
        return new Show(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }
}

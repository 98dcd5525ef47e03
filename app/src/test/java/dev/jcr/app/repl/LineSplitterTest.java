package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final Variables vars = new Variables(Map.of("HOME", "/home/op"));

    private List<String> split(String line) {
        return LineSplitter.split(line, vars);
    }

    @Test
    void blanksSeparateWordsAndQuotesKeepThem() {
        assertEquals(List.of("dump", "42", "-D", "/ckpt/a b", "x y"), split("  dump 42\t-D '/ckpt/a b' \"x y\"  "));
        assertEquals(List.of("a b"), split("a\\ b"));
        assertEquals(List.of(""), split("''"));
    }

    @Test
    void variablesExpandOutsideSingleQuotesAndStayOneWord() {
        vars.set("dir", "/tmp/my ckpt");
        vars.set("pid", "4242");
        assertEquals(List.of("dump", "4242", "-D", "/tmp/my ckpt/job"), split("dump $pid -D $dir/job"));
        assertEquals(List.of("/tmp/my ckpt-x"), split("${dir}-x"));
        assertEquals(List.of("at /tmp/my ckpt"), split("\"at $dir\""));
        assertEquals(List.of("$dir"), split("'$dir'"));
        assertEquals(List.of("$dir"), split("\\$dir"));
        assertEquals(List.of("/home/op"), split("$HOME"), "the environment is the fallback");
    }

    @Test
    void statusAndArgumentsAreVariables() {
        vars.status(3);
        vars.arguments(List.of("first", "second"));
        assertEquals(List.of("3", "3", "first", "2"), split("$? $status $1 $#"));
    }

    @Test
    void placeholdersOfEveryAndLoneDollarsPassThrough() {
        assertEquals(List.of("/ckpt/job-{n}", "5$", "$"), split("/ckpt/job-{n} 5$ $"));
    }

    @Test
    void hashStartingAWordIsAComment() {
        assertEquals(List.of("ps"), split("ps   # the whole tree"));
        assertEquals(List.of(), split("# only a comment"));
        assertEquals(List.of("a#b", "#c"), split("a#b '#c'"));
    }

    @Test
    void undefinedVariableIsAnErrorNamingIt() {
        ReplUsageException e = assertThrows(ReplUsageException.class, () -> split("dump $pid -D x"));
        assertTrue(e.getMessage().contains("$pid"), e.getMessage());
        e = assertThrows(ReplUsageException.class, () -> split("restore $last_dump"));
        assertTrue(e.getMessage().contains("no dump has succeeded"), e.getMessage());
        e = assertThrows(ReplUsageException.class, () -> split("echo $1"));
        assertTrue(e.getMessage().contains("only 0 argument"), e.getMessage());
    }

    @Test
    void unterminatedQuotesAreErrors() {
        assertThrows(ReplUsageException.class, () -> split("echo 'abc"));
        assertThrows(ReplUsageException.class, () -> split("echo \"abc"));
        assertThrows(ReplUsageException.class, () -> split("echo ${abc"));
        assertThrows(ReplUsageException.class, () -> split("echo abc\\"));
    }
}

package dev.jcr.show;


import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.jcr.testing.Need;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference tool, CRIU's crit (Debian package criu), driven from tests: the crit command
 * itself, and its Python library for bulk decoding in one process. Tests using it are skipped
 * with a message when crit is not installed.
 */
final class Crit {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static Map<String, Map<Integer, String>> fieldNames;

    private Crit() {
    }

    static void assumeAvailable() {
        Need.tool(Path.of("/usr/bin/crit"), "crit (Debian package criu)");
    }

    /** {@code crit decode -i FILE [--pretty]}, parsed. */
    static JsonNode decode(Path file, boolean pretty) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/crit", "decode", "-i", file.toString()));
        if (pretty) {
            cmd.add("--pretty");
        }
        return parse(run(cmd, null));
    }

    /** {@code crit encode} of {@code json}, the image bytes. */
    static byte[] encode(JsonNode json) {
        return run(List.of("/usr/bin/crit", "encode"), json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes many files with crit's own Python library in one process: file -> JSON. */
    static Map<Path, JsonNode> decodeAll(List<Path> files, boolean pretty) {
        String script = String.join("\n",
                "import sys, json",
                "from pycriu import images",
                "pretty = sys.argv[1] == '1'",
                "out = {}",
                "for f in sys.argv[2:]:",
                "    with open(f, 'rb') as fh:",
                "        out[f] = images.load(fh, pretty)",
                "json.dump(out, sys.stdout)");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", script, pretty ? "1" : "0"));
        files.forEach(f -> cmd.add(f.toString()));
        JsonNode all = parse(run(cmd, null));
        Map<Path, JsonNode> out = new HashMap<>();
        for (Path f : files) {
            out.put(f, all.get(f.toString()));
        }
        return out;
    }

    /** crit 3.17's schema: message name -> field number -> field name. */
    static synchronized Map<String, Map<Integer, String>> fieldNames() {
        if (fieldNames == null) {
            String script = String.join("\n",
                    "import json, pkgutil, importlib, pycriu.images as ims",
                    "out = {}",
                    "def walk(d):",
                    "    out[d.name] = {f.number: f.name for f in d.fields}",
                    "    for n in d.nested_types: walk(n)",
                    "for m in pkgutil.iter_modules(ims.__path__):",
                    "    if m.name.endswith('_pb2'):",
                    "        mod = importlib.import_module('pycriu.images.' + m.name)",
                    "        for d in mod.DESCRIPTOR.message_types_by_name.values(): walk(d)",
                    "print(json.dumps(out))");
            JsonNode n = parse(run(List.of("/usr/bin/python3", "-c", script), null));
            Map<String, Map<Integer, String>> m = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Map<Integer, String> fields = new HashMap<>();
                e.getValue().fields().forEachRemaining(f -> fields.put(Integer.parseInt(f.getKey()), f.getValue().asText()));
                m.put(e.getKey(), fields);
            }
            fieldNames = m;
        }
        return fieldNames;
    }

    static JsonNode parse(byte[] out) {
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("crit printed no JSON: " + new String(out, StandardCharsets.UTF_8), e);
        }
    }

    static byte[] run(List<String> cmd, byte[] stdin) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd.get(0) + " " + cmd.get(1));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(cmd.subList(0, 2) + " failed (" + p.exitValue() + "): "
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

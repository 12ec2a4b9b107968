package chat.server.cluster;

import io.lettuce.core.ScriptOutputType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that change the cluster's state, each one atomic in Redis. Each is
 * {@code common.lua} (keys, messages, shared functions) followed by its own file; Redis knows
 * them by SHA-1, so a call sends the digest, and the body only when Redis has forgotten it.
 */
public enum RedisScript {
    HELLO(ScriptOutputType.VALUE),
    RENAME(ScriptOutputType.VALUE),
    JOIN(ScriptOutputType.VALUE),
    SAY(ScriptOutputType.VALUE),
    WHISPER(ScriptOutputType.VALUE),
    WHO(ScriptOutputType.VALUE),
    ROOMS(ScriptOutputType.VALUE),
    LEAVE(ScriptOutputType.VALUE),
    BEAT(ScriptOutputType.MULTI),
    GOODBYE(ScriptOutputType.INTEGER),
    RESTORE(ScriptOutputType.MULTI),
    SYNC(ScriptOutputType.MULTI);

    final ScriptOutputType output;
    final String body;
    final String sha;

    RedisScript(ScriptOutputType output) {
        this.output = output;
        this.body = read("common.lua") + "\n" + read(name().toLowerCase() + ".lua");
        this.sha = sha1(body);
    }

    private static String read(String file) {
        try (InputStream in = RedisScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package chat.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON object of the kind {@link Report} writes: members whose values are strings, numbers
 * (read as Double), true, false, null, or arrays of these. Nested objects are not needed and not
 * accepted. Bad input throws IllegalArgumentException naming the offset. {@link #parse} makes an
 * instance per line, used by the calling thread only.
 */
final class JsonLine {

    private final String s;
    private int i;

    private JsonLine(String s) {
        this.s = s;
    }

    /** The members of the object in {@code line}, in their order. */
    static Map<String, Object> parse(String line) {
        JsonLine p = new JsonLine(line);
        Map<String, Object> members = p.object();
        p.space();
        if (p.i != line.length()) {
            throw p.bad("text after the object");
        }
        return members;
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        expect('{');
        space();
        if (peek() == '}') {
            i++;
            return members;
        }
        while (true) {
            space();
            String name = string();
            space();
            expect(':');
            members.put(name, value());
            space();
            if (peek() == '}') {
                i++;
                return members;
            }
            expect(',');
        }
    }

    private Object value() {
        space();
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '[') {
            i++;
            List<Object> items = new ArrayList<>();
            space();
            if (peek() == ']') {
                i++;
                return items;
            }
            while (true) {
                items.add(value());
                space();
                if (peek() == ']') {
                    i++;
                    return items;
                }
                expect(',');
            }
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, i)) {
                i += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        try {
            return Double.valueOf(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw bad("a value");
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw bad("four hex digits");
                    }
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw bad("more text");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw bad("'" + c + "'");
        }
    }

    private IllegalArgumentException bad(String wanted) {
        return new IllegalArgumentException("JSON: expected " + wanted + " at offset " + i);
    }
}

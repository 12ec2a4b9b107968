package chat.server.metrics;

/**
 * Prometheus text format, version 0.0.4: a family's {@code # HELP} and {@code # TYPE} lines, then
 * its samples. Label values are escaped, so a collector's name cannot break a line. One per
 * scrape, used by one thread.
 */
final class PrometheusText {

    private final StringBuilder out = new StringBuilder(4096);

    PrometheusText gauge(String name, String help, long value) {
        family(name, help, "gauge");
        return sample(name, value);
    }

    PrometheusText counter(String name, String help, long value) {
        family(name, help, "counter");
        return sample(name, value);
    }

    PrometheusText family(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, long value) {
        out.append(name).append(' ').append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value) {
        out.append(name).append(' ').append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, String label, String labelValue, long value) {
        labelled(name, label, labelValue).append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, String label, String labelValue, double value) {
        labelled(name, label, labelValue).append(value).append('\n');
        return this;
    }

    private StringBuilder labelled(String name, String label, String labelValue) {
        out.append(name).append('{').append(label).append("=\"");
        for (int i = 0; i < labelValue.length(); i++) {
            char c = labelValue.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append("\"} ");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

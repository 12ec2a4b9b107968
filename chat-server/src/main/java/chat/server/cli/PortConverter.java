package chat.server.cli;

import chat.server.config.Listeners;
import picocli.CommandLine;

/** Reads {@code --port}: a number, checked by Listeners, or {@code off} for no plain TCP listener. */
final class PortConverter implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        if (value.strip().equals("off")) {
            return Listeners.PORT_OFF;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a port (0-65535) or off");
        }
    }
}

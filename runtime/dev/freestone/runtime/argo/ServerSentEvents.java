package dev.freestone.runtime.argo;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads the streams of Argo Server (grpc-gateway): {@code text/event-stream} frames ({@code data:}
 * lines ended by a blank line; lines starting with {@code :} are keep-alive comments), or, when
 * the server answers {@code application/json}, one JSON object per line. Each payload goes to the
 * consumer as text.
 */
final class ServerSentEvents {
    private ServerSentEvents() {
    }

    static void read(BufferedReader reader, Consumer<String> payloads) throws IOException {
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                flush(data, payloads);
            } else if (line.startsWith(":")) {
                continue; // keep-alive comment
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.startsWith("{")) {
                flush(data, payloads);
                payloads.accept(line);
            }
            // other SSE fields (event:, id:, retry:) carry nothing Argo uses
        }
        flush(data, payloads);
    }

    private static void flush(StringBuilder data, Consumer<String> payloads) {
        if (data.length() > 0) {
            payloads.accept(data.toString());
            data.setLength(0);
        }
    }
}

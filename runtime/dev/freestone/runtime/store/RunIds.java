package dev.freestone.runtime.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Run ids: {@code run-YYYYMMDD-HHMMSS-xxxx}, the UTC second of creation and four random hex digits.
 * Short enough to type, sortable by time, and unique in practice; the store retries on the rare
 * collision instead of trusting the randomness.
 */
final class RunIds {
    static final Pattern FORMAT = Pattern.compile("run-\\d{8}-\\d{6}-[0-9a-f]{4}");
    /** Everything a run id or a prefix of one may contain; all of it sorts below {@code '~'}. */
    static final Pattern PREFIX = Pattern.compile("[a-z0-9-]+");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    static String next(Instant now, Random random) {
        return "run-" + TIME.format(now) + "-" + String.format(Locale.ROOT, "%04x", random.nextInt(0x10000));
    }
}

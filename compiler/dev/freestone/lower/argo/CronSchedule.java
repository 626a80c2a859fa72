package dev.freestone.lower.argo;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cron syntax Argo accepts in {@code CronWorkflow.spec.schedules}: robfig/cron's standard parser, i.e. five
 * fields (minute hour day-of-month month day-of-week) with {@code * ? , - /} and month/day names, or a
 * descriptor ({@code @hourly}, {@code @daily}, {@code @every 1h30m}, ...), optionally after {@code CRON_TZ=zone }
 * or {@code TZ=zone }.
 */
public final class CronSchedule {
    private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly",
            "@daily", "@midnight", "@hourly");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");
    private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] BOUNDS = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6);

    private CronSchedule() {
    }

    /** Why {@code schedule} is not a valid cron schedule, or empty when it is. */
    public static Optional<String> problem(String schedule) {
        String s = schedule.trim();
        if (s.startsWith("CRON_TZ=") || s.startsWith("TZ=")) {
            int space = s.indexOf(' ');
            if (space < 0) {
                return Optional.of("a time zone prefix must be followed by a schedule");
            }
            s = s.substring(space + 1).trim();
        }
        if (s.startsWith("@")) {
            if (DESCRIPTORS.contains(s)) {
                return Optional.empty();
            }
            if (s.startsWith("@every ")) {
                String d = s.substring("@every ".length()).trim();
                return DURATION.matcher(d).matches() ? Optional.empty()
                        : Optional.of("`" + d + "` is not a duration");
            }
            return Optional.of("unknown descriptor `" + s + "`");
        }
        String[] fields = s.isEmpty() ? new String[0] : s.split("\\s+");
        if (fields.length != 5) {
            return Optional.of("expected 5 fields (minute hour day-of-month month day-of-week), found " + fields.length);
        }
        for (int i = 0; i < 5; i++) {
            Optional<String> p = field(fields[i], i);
            if (p.isPresent()) {
                return Optional.of(FIELDS[i] + " `" + fields[i] + "`: " + p.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> field(String field, int index) {
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                return Optional.of("empty list element");
            }
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                String step = part.substring(slash + 1);
                if (!step.matches("[0-9]+") || Integer.parseInt(step) == 0) {
                    return Optional.of("step `" + step + "` must be a positive number");
                }
            }
            if (range.equals("*") || range.equals("?")) {
                continue;
            }
            String[] ends = range.split("-", -1);
            if (ends.length > 2) {
                return Optional.of("`" + range + "` is not a range");
            }
            int low = -1;
            for (String end : ends) {
                int v = value(end, index);
                if (v < 0) {
                    return Optional.of("`" + end + "` is not a value");
                }
                if (v < BOUNDS[index][0] || v > BOUNDS[index][1]) {
                    return Optional.of(v + " is outside " + BOUNDS[index][0] + "-" + BOUNDS[index][1]);
                }
                if (v < low) {
                    return Optional.of("range `" + range + "` ends before it starts");
                }
                low = v;
            }
        }
        return Optional.empty();
    }

    private static int value(String text, int index) {
        if (text.matches("[0-9]{1,9}")) {
            return Integer.parseInt(text);
        }
        Map<String, Integer> names = index == 3 ? MONTHS : index == 4 ? DAYS : Map.of();
        return names.getOrDefault(text.toLowerCase(Locale.ROOT), -1);
    }
}

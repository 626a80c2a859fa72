package dev.freestone.diag;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the candidate closest to a misspelt name (optimal string alignment distance), or the one candidate that a name of
 * four or more letters begins (a name cut short).
 */
public final class DidYouMean {
    private DidYouMean() {
    }

    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, Math.min(3, name.length() / 3 + 1));
        for (String c : candidates.stream().sorted().toList()) {
            int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance && d <= limit && !c.equals(name)) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null && name.length() >= 4) {
            // a name cut short (`test_frac` for `test_fraction`, `thresh`): too far to be a typo, but only one reading
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> longer = candidates.stream().filter(c -> c.toLowerCase(Locale.ROOT).startsWith(lower)).toList();
            if (longer.size() == 1) {
                best = longer.get(0);
            }
        }
        return Optional.ofNullable(best);
    }

    /** "did you mean `x`?" or the fallback. */
    public static String help(String name, Collection<String> candidates, String fallback) {
        return closest(name, candidates).map(c -> "did you mean `" + c + "`?").orElse(fallback);
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

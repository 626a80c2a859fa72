package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Freestone keeps its state: {@code $FREESTONE_HOME} when set, otherwise {@code ~/.freestone}.
 * Holds the run store database ({@link RunStore#DATABASE_FILE}) and the artifact store
 * ({@code artifacts/}).
 */
public final class FreestoneHome {
    /** The environment variable that overrides the default home. */
    public static final String ENV = "FREESTONE_HOME";

    private FreestoneHome() {
    }

    /** The home of this process (from the environment and {@code user.home}), created if missing. */
    public static Path fromEnvironment() {
        return create(resolve(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    /**
     * The home named by {@code env}, or {@code userHome/.freestone}; an empty or blank
     * {@code FREESTONE_HOME} counts as unset. A relative path is taken from the working directory.
     */
    public static Path resolve(Map<String, String> env, Path userHome) {
        String value = env.get(ENV);
        Path home = value == null || value.isBlank() ? userHome.resolve(".freestone") : Path.of(value);
        return home.toAbsolutePath().normalize();
    }

    /** Creates {@code home} (and its parents) if missing and returns it. */
    public static Path create(Path home) {
        try {
            Files.createDirectories(home);
            return home;
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("freestone home " + home + " exists but is not a directory (set "
                    + ENV + " to a directory)", e);
        } catch (IOException e) {
            throw new StoreException("cannot create freestone home " + home + ": " + e.getMessage(), e);
        }
    }
}

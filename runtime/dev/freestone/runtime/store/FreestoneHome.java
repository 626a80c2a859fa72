package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Freestone keeps its state: the system property {@code freestone.home} when set (so that
 * tests running the CLI in-process can point it at a temp directory: a JVM cannot change its own
 * environment), else {@code $FREESTONE_HOME}, otherwise {@code ~/.freestone}.
 * Holds the run store database ({@link RunStore#DATABASE_FILE}) and the artifact store
 * ({@code artifacts/}).
 */
public final class FreestoneHome {
    /** The environment variable that overrides the default home. */
    public static final String ENV = "FREESTONE_HOME";
    /** The system property that overrides {@link #ENV}, for in-process callers such as tests. */
    public static final String PROPERTY = "freestone.home";

    private FreestoneHome() {
    }

    /**
     * The home of this process (the {@code freestone.home} property, else the environment, else
     * {@code user.home}), created if missing.
     */
    public static Path fromEnvironment() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return create(Path.of(property).toAbsolutePath().normalize());
        }
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

package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
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

    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

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

    /**
     * Creates {@code home} (and its parents) if missing and returns it. A new home is its owner's alone
     * ({@code rwx------}): it keeps what steps printed, which may show a secret, and every run's values.
     * An existing one is left as it is.
     */
    public static Path create(Path home) {
        try {
            if (!Files.isDirectory(home)) {
                Path parent = home.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(home, OWNER_ONLY);
                } catch (UnsupportedOperationException e) {
                    Files.createDirectory(home); // no POSIX permissions here (Windows)
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(home)) {
                        throw e;
                    }
                    // made by a concurrent start
                }
            }
            return home;
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("freestone home " + home + " exists but is not a directory (set "
                    + ENV + " to a directory)", e);
        } catch (IOException e) {
            throw new StoreException("cannot create freestone home " + home + ": " + e.getMessage(), e);
        }
    }
}

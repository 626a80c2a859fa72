package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
    private static final FileAttribute<?> OWNER_ONLY_FILE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * The folders of a home that hold what steps printed and wrote (the attempts' logs and outputs under
     * {@code runs/}, the artifact objects), made private even inside a home that already existed.
     */
    static final List<String> PRIVATE_FOLDERS = List.of("runs", RunStore.ARTIFACTS_DIR);

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
     * An existing one is left as it is, but the folders Freestone keeps there ({@link #PRIVATE_FOLDERS})
     * are made owner-only when missing: a user who follows the secrets docs makes the home first
     * ({@code mkdir -p ~/.freestone/secrets/db-creds}), with everyone's read permission, and the logs of
     * the steps that read that secret (which may print it) would otherwise be everyone's to read too.
     */
    public static Path create(Path home) {
        try {
            makeHome(home);
            for (String folder : PRIVATE_FOLDERS) {
                privateFolder(home.resolve(folder));
            }
            return home;
        } catch (FileAlreadyExistsException e) {
            // the file in the way may be a folder above the home (FREESTONE_HOME=notes.txt/home)
            if (e.getFile() != null && !Path.of(e.getFile()).equals(home)) {
                throw new StoreException("cannot create freestone home " + home + ": " + e.getFile()
                        + " is a file, not a directory", e);
            }
            throw new StoreException("freestone home " + home + " exists but is not a directory (set "
                    + ENV + " to a directory)", e);
        } catch (IOException e) {
            throw new StoreException("cannot create freestone home " + home + ": " + why(e), e);
        }
    }

    /** What went wrong, in words: most file-system exceptions' message is just the path, already shown. */
    private static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            // the file named is the first folder on the way that could not be made
            return "no such file or directory" + (n.getFile() == null ? "" : " (" + n.getFile() + ")");
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Creates {@code file} empty and owner-only ({@code rw-------}) when it is missing, so that what is
     * written into it later (SQLite's database, whose journal files take its mode) is private from the
     * start; an existing file is left as it is.
     */
    static void privateFile(Path file) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createFile(file, OWNER_ONLY_FILE);
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here (Windows): SQLite creates the file itself
        } catch (FileAlreadyExistsException e) {
            // made by a concurrent start
        }
    }

    private static void privateFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectory(dir, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " exists but is not a directory", e);
            }
        }
    }

    private static void makeHome(Path home) throws IOException {
        if (Files.isDirectory(home)) {
            return;
        }
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
}

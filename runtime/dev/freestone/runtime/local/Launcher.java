package dev.freestone.runtime.local;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Starts step processes through one small helper process kept while the engine runs, which makes
 * each child the leader of a new session ({@code setsid}), redirects it and execs the program: one
 * program load per step. Started from the JVM, a step that must lead its own process group costs
 * two ({@code setsid}, then the program) plus the JVM's own spawn machinery, which together cost
 * more than a trivial step itself (docs/performance.md).
 *
 * <p>Two helpers speak the same protocol. Python 3.8+ ({@code os.posix_spawn} with {@code setsid}:
 * a vfork, no copy of the helper) is preferred; Perl ({@code perl-base}: on every Debian and Ubuntu
 * system and on macOS) forks. Each answers {@code ready} once it can start steps. Requests go to its
 * stdin as NUL-terminated fields (bytes pass verbatim: no shell, no quoting): {@code E ENV N K=V...}
 * defines an environment, {@code F ENV} forgets one, {@code P POOL LIMIT} defines a pool of steps of
 * which at most LIMIT run at once, {@code S ID POOL CWD LOG ENV N ARG...} starts a step (POOL
 * {@code 0}: none; in a full pool the step waits in the helper and starts the moment one of the
 * pool's steps ends), {@code C POOL} withdraws the pool's waiting steps. It answers {@code s ID PID}
 * when the child exists, {@code e ID MESSAGE} when it could not start it, {@code c ID} for a withdrawn
 * step, and {@code x ID CODE} when the child ended (a signal {@code n} is {@code 128+n}, like the JVM's
 * {@link Process#exitValue}), after killing what the child left in its process group (the sweep
 * {@link ProcessTree#killLeftovers} does for steps the JVM started). The helper runs in a session of
 * its own, so a Ctrl-C at the terminal reaches the engine and not it. At the end of its input (the
 * engine's end, or the JVM's death, SIGKILL included) it stops the steps still running (TERM to each
 * group, 5 s, KILL) and exits: its steps never outlive the engine ({@link ProcessTree#startedByLauncher}).
 *
 * <p>{@code FREESTONE_LAUNCHER} (or the system property {@value #CHOICE_PROPERTY}) picks one:
 * {@code python}, {@code perl}, or {@code jvm} for no helper (steps start from the JVM under
 * {@code setsid}); by default the first of Python and Perl that works.
 */
final class Launcher {
    /** The helpers, in the order they are tried. */
    enum Kind {
        PYTHON, PERL
    }

    private static final String PERL = String.join("\n",
            "use strict; use warnings; use POSIX (); use Fcntl;",
            "my $buf = ''; my %kids; my %envs; my %pools; $| = 1;",
            "pipe(my $sr, my $sw) or die \"pipe: $!\";",
            "for my $h ($sr, $sw) { fcntl($h, F_SETFL, fcntl($h, F_GETFL, 0) | O_NONBLOCK); }",
            "$SIG{CHLD} = sub { syswrite($sw, 'c'); };",
            "sub reap { while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) { my $st = $?;",
            // what the step left running in its group goes with it, before its end is reported
            "  kill('KILL', -$pid); my $kid = delete $kids{$pid}; next unless defined $kid;",
            "  print 'x ', $kid->[0], ' ', (($st & 127) ? 128 + ($st & 127) : ($st >> 8)), \"\\n\";",
            // the next queued step of the pool takes the free place at once
            "  my $p = $pools{$kid->[1]}; next unless $p; $p->{running}--;",
            "  while (@{$p->{queue}} && ($p->{limit} <= 0 || $p->{running} < $p->{limit})) { spawn(@{shift @{$p->{queue}}}); } } }",
            "sub take { my $pos = 0; my @f;",
            "  my $next = sub { my $i = index($buf, \"\\0\", $pos); return if $i < 0;",
            "    my $v = substr($buf, $pos, $i - $pos); $pos = $i + 1; push @f, $v; 1 };",
            "  $next->() or return; my $n = 0;",
            "  if ($f[0] eq 'S') { for (1 .. 6) { $next->() or return; } $n = $f[6]; }",
            "  elsif ($f[0] eq 'E') { for (1 .. 2) { $next->() or return; } $n = $f[2]; }",
            "  elsif ($f[0] eq 'P') { $n = 2; }",
            "  elsif ($f[0] eq 'F' || $f[0] eq 'C') { $n = 1; }",
            "  for (1 .. $n) { $next->() or return; }",
            "  substr($buf, 0, $pos) = ''; return \\@f; }",
            "sub handle { my @f = @{$_[0]};",
            "  if ($f[0] eq 'E') { $envs{$f[1]} = [@f[3 .. $#f]]; }",
            "  elsif ($f[0] eq 'F') { delete $envs{$f[1]}; }",
            "  elsif ($f[0] eq 'P') { my $p = ($pools{$f[1]} ||= { running => 0, queue => [] }); $p->{limit} = $f[2]; }",
            "  elsif ($f[0] eq 'C') { my $p = $pools{$f[1]}; while ($p && @{$p->{queue}}) { print 'c ', shift(@{$p->{queue}})->[1], \"\\n\"; } }",
            "  elsif ($f[0] eq 'S') { my $p = $pools{$f[2]};",
            "    if ($p && $p->{limit} > 0 && $p->{running} >= $p->{limit}) { push @{$p->{queue}}, [@f]; } else { spawn(@f); } } }",
            "sub spawn { my ($tag, $id, $pool, $cwd, $log, $envid, $argc, @argv) = @_;",
            "  if (!$envs{$envid}) { print \"e $id the launcher has no environment $envid\\n\"; return; }",
            "  my @env = @{$envs{$envid}};",
            "  my $pid = fork();",
            "  if (!defined $pid) { print \"e $id cannot fork: $!\\n\"; return; }",
            "  if ($pid == 0) {",
            "    $SIG{CHLD} = 'DEFAULT'; POSIX::setsid();",
            "    open(STDIN, '<', '/dev/null'); open(STDOUT, '>', $log) or POSIX::_exit(126);",
            "    open(STDERR, '>&', \\*STDOUT) or POSIX::_exit(126);",
            "    chdir($cwd) or do { print STDERR \"freestone: cannot enter $cwd: $!\\n\"; POSIX::_exit(126) };",
            "    %ENV = (); for my $e (@env) { my ($k, $v) = split(/=/, $e, 2); $ENV{$k} = $v; }",
            "    { no warnings; exec { $argv[0] } @argv; }",
            "    print STDERR \"freestone: cannot start $argv[0]: $!\\n\"; POSIX::_exit(127);",
            "  }",
            "  $kids{$pid} = [$id, $pool]; $pools{$pool}->{running}++ if $pools{$pool}; print \"s $id $pid\\n\"; }",
            // the engine is gone: what it started goes with it (TERM, a grace, then KILL)
            "sub end_all { kill('TERM', -$_) for keys %kids; my $until = time() + 5;",
            "  while (%kids && time() < $until) { while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {",
            "    kill('KILL', -$pid); delete $kids{$pid}; } select(undef, undef, undef, 0.02); }",
            "  kill('KILL', -$_) for keys %kids; exit 0; }",
            "print \"ready\\n\";",
            "while (1) {",
            "  reap();",
            "  my $rin = ''; vec($rin, fileno(STDIN), 1) = 1; vec($rin, fileno($sr), 1) = 1;",
            // the timeout covers a SIGCHLD that lands between reap() and select()
            "  my $n = select(my $rout = $rin, undef, undef, 0.05);",
            "  next if $n <= 0;",
            "  if (vec($rout, fileno($sr), 1)) { my $junk; sysread($sr, $junk, 4096); }",
            "  if (vec($rout, fileno(STDIN), 1)) {",
            "    my $r = sysread(STDIN, $buf, 65536, length $buf);",
            "    end_all() if !$r;",
            "    while (my $req = take()) { handle($req); } } }");

    private static final String PYTHON = """
            import os, sys, signal, select, fcntl, time, collections
            if sys.version_info < (3, 8) or not hasattr(os, "posix_spawn"):
                sys.exit(0)
            r, w = os.pipe()
            for fd in (r, w):
                fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
            signal.set_wakeup_fd(w)
            signal.signal(signal.SIGCHLD, lambda *a: None)
            kids = {}
            envs = {}
            pools = {}
            fields = []
            pos = 0
            tail = b""
            out = sys.stdout.buffer
            cwd = None
            RESET = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGCHLD)
            GRACE = 5
            def answer(line):
                # buffered: written out once per turn of the loop, before it waits again
                out.write(line + b"\\n")
            def reap(tell=True):
                while kids:
                    try:
                        pid, st = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        return
                    if pid == 0:
                        return
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                    kid = kids.pop(pid, None)
                    if kid is None:
                        continue
                    if tell:
                        code = 128 + os.WTERMSIG(st) if os.WIFSIGNALED(st) else os.WEXITSTATUS(st)
                        answer(b"x %s %d" % (kid[0], code))
                        pool = pools.get(kid[1])
                        if pool is not None:
                            pool[1] -= 1
                            # the next queued step of the pool takes the free place at once
                            while pool[2] and (pool[0] <= 0 or pool[1] < pool[0]):
                                spawn(pool[2].popleft())
            def signal_all(sig):
                for pid in list(kids):
                    try:
                        os.killpg(pid, sig)
                    except OSError:
                        pass
            def end():
                # the engine is gone: what it started goes with it (TERM, a grace, then KILL)
                signal_all(signal.SIGTERM)
                deadline = time.monotonic() + GRACE
                while kids and time.monotonic() < deadline:
                    reap(False)
                    time.sleep(0.02)
                signal_all(signal.SIGKILL)
                os._exit(0)
            def take():
                # the next whole request from the fields read so far, or None
                global pos
                have = len(fields) - pos
                if have < 1:
                    return None
                tag = fields[pos]
                if tag == b"S":
                    if have < 7:
                        return None
                    n = 7 + int(fields[pos + 6])
                elif tag == b"E":
                    if have < 3:
                        return None
                    n = 3 + int(fields[pos + 2])
                else:
                    n = 3 if tag == b"P" else 2 if tag in (b"F", b"C") else 1
                if have < n:
                    return None
                f = fields[pos:pos + n]
                pos += n
                return f
            def handle(f):
                if f[0] == b"E":
                    envs[f[1]] = dict(e.split(b"=", 1) for e in f[3:])
                elif f[0] == b"F":
                    envs.pop(f[1], None)
                elif f[0] == b"P":
                    pool = pools.setdefault(f[1], [0, 0, collections.deque()])
                    pool[0] = int(f[2])
                elif f[0] == b"C":
                    pool = pools.get(f[1])
                    while pool and pool[2]:
                        answer(b"c %s" % pool[2].popleft()[1])
                elif f[0] == b"S":
                    pool = pools.get(f[2])
                    if pool is not None and 0 < pool[0] <= pool[1]:
                        pool[2].append(f)
                    else:
                        spawn(f)
            def spawn(f):
                global cwd
                i, d, log = f[1], f[3], f[4]
                env = envs.get(f[5])
                argv = f[7:]
                if env is None:
                    answer(b"e %s the launcher has no environment %s" % (i, f[5]))
                    return
                try:
                    if d != cwd:
                        os.chdir(d)
                        cwd = d
                    actions = [(os.POSIX_SPAWN_OPEN, 0, b"/dev/null", os.O_RDONLY, 0),
                               (os.POSIX_SPAWN_OPEN, 1, log, os.O_WRONLY | os.O_TRUNC | os.O_CREAT, 0o666),
                               (os.POSIX_SPAWN_DUP2, 1, 2)]
                    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True,
                                         setsigdef=RESET, setsigmask=())
                except (OSError, NotImplementedError, ValueError) as e:
                    answer(b"e %s %s" % (i, str(e).replace("\\n", " ").encode()))
                    return
                kids[pid] = (i, f[2])
                pool = pools.get(f[2])
                if pool is not None:
                    pool[1] += 1
                answer(b"s %s %d" % (i, pid))
            try:
                probe = os.posix_spawn("/bin/sh", ["sh", "-c", ":"], {}, setsid=True, setsigdef=RESET, setsigmask=())
                os.waitpid(probe, 0)
            except Exception:
                sys.exit(0)
            answer(b"ready")
            while True:
                reap()
                out.flush()
                ready, _, _ = select.select([0, r], [], [])
                if r in ready:
                    try:
                        os.read(r, 4096)
                    except BlockingIOError:
                        pass
                if 0 in ready:
                    data = os.read(0, 65536)
                    if not data:
                        end()
                    parts = (tail + data).split(b"\\0")
                    tail = parts.pop()
                    del fields[:pos]
                    pos = 0
                    fields.extend(parts)
                    while True:
                        f = take()
                        if f is None:
                            break
                        handle(f)
            """;

    /** {@code jvm} starts steps from the JVM (as the environment variable {@code FREESTONE_LAUNCHER=jvm} does). */
    static final String CHOICE_PROPERTY = "freestone.launcher";

    /** What {@code FREESTONE_LAUNCHER} accepts; empty or unset picks the first helper that works. */
    static final List<String> CHOICES = List.of("python", "perl", "jvm");

    /** The launcher asked for: the system property, else the process's {@code FREESTONE_LAUNCHER}; null when neither. */
    static String choice() {
        return System.getProperty(CHOICE_PROPERTY, System.getenv("FREESTONE_LAUNCHER"));
    }

    private static Launcher shared;
    private static final java.util.Set<Kind> UNUSABLE = java.util.EnumSet.noneOf(Kind.class);

    private final Kind kind;
    private final Process helper;
    private final OutputStream requests;
    private final BufferedReader answers;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Long>> starting = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    /** environments the helper knows, by id, least recently used first; guarded by {@code requests} */
    private final Map<Map<String, String>, String> environments = new LinkedHashMap<>(16, 0.75f, true);
    private long environmentCount;
    /** pools the helper knows, by id; guarded by {@code requests} */
    private final Map<Pool, String> pools = new java.util.WeakHashMap<>();
    private long poolCount;
    static final int ENVIRONMENTS = 32;
    private volatile boolean broken;

    private Launcher(Kind kind, Process helper, BufferedReader answers) {
        this.kind = kind;
        this.helper = helper;
        this.requests = helper.getOutputStream();
        this.answers = answers;
        Thread reader = new Thread(this::readAnswers, "freestone-launcher");
        reader.setDaemon(true);
        reader.start();
    }

    /** The engine's launcher, started on first use; empty when none works or the user chose the JVM. */
    static synchronized Optional<Launcher> shared(Optional<Path> setsid) {
        String choice = choice();
        if ("jvm".equalsIgnoreCase(choice)) {
            return Optional.empty();
        }
        if (shared != null && !shared.broken && shared.helper.isAlive()) {
            return Optional.of(shared);
        }
        for (Kind k : Kind.values()) {
            if (UNUSABLE.contains(k) || (choice != null && !choice.isEmpty() && !choice.equalsIgnoreCase(k.name()))) {
                continue;
            }
            Optional<Launcher> l = open(k, setsid);
            if (l.isPresent()) {
                shared = l.get();
                return l;
            }
            UNUSABLE.add(k);
        }
        return Optional.empty();
    }

    /** A new launcher of this kind, once it said it is ready; empty when its interpreter is missing or unfit. */
    static Optional<Launcher> open(Kind kind, Optional<Path> setsid) {
        Optional<Path> interpreter = kind == Kind.PYTHON
                ? (Files.isExecutable(Path.of("/usr/bin/python3")) ? Optional.of(Path.of("/usr/bin/python3"))
                        : ProcessTree.onPath("python3", System.getenv("PATH")))
                : ProcessTree.onPath("perl", System.getenv("PATH"));
        if (interpreter.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        setsid.ifPresent(p -> cmd.add(p.toString()));
        cmd.add(interpreter.get().toString());
        // python: -I ignores the user's PYTHON* variables and site folder, -S skips site (faster start)
        cmd.addAll(kind == Kind.PYTHON ? List.of("-I", "-S", "-c", PYTHON) : List.of("-e", PERL));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            if ("ready".equals(first.get(10, TimeUnit.SECONDS))) {
                return Optional.of(new Launcher(kind, p, in));
            }
        } catch (ExecutionException | TimeoutException e) {
            // not ready: below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        return Optional.empty();
    }

    Kind kind() {
        return kind;
    }

    /** Withdraws the steps of {@code pool} waiting in the engine's launcher, if it runs. */
    static synchronized void withdraw(Pool pool) {
        if (shared != null) {
            shared.cancelQueued(pool);
        }
    }

    /** Stops the engine's launcher, if it runs (after the last step ended). */
    static synchronized void stop() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** Ends this launcher: the helper exits at the end of its input. */
    void close() {
        try {
            synchronized (requests) {
                requests.close();
            }
            if (!helper.waitFor(1, TimeUnit.SECONDS)) {
                helper.destroyForcibly();
            }
        } catch (IOException e) {
            helper.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts {@code argv} (argv[0] resolved) with exactly {@code env} in {@code cwd}, stdin from
     * /dev/null, stdout and stderr to {@code log} (created, or emptied), as the leader of a new session.
     */
    Process start(List<String> argv, Map<String, String> env, Path cwd, Path log) throws IOException {
        return start(argv, env, cwd, log, NO_LIMIT);
    }

    /** The pool of steps that never wait (a limit of 0: the helper starts them at once). */
    static final Pool NO_LIMIT = new Pool(0);

    /**
     * A set of steps of which at most {@code limit} run at once (an engine's {@code --parallelism}).
     * A step of a full pool waits in the helper and starts there the moment one of the pool's steps
     * ends, without a round trip through the JVM.
     */
    static final class Pool {
        private final int limit;

        Pool(int limit) {
            this.limit = limit;
        }
    }

    /** A step's start was withdrawn ({@link #cancelQueued}) while it waited for a place in its pool. */
    static final class StartCancelled extends IOException {
        StartCancelled() {
            super("cancelled before it started");
        }
    }

    /**
     * Like {@link #start(List, Map, Path, Path)}, in {@code pool}: returns once the step started, which
     * in a full pool is when a place is free (no time limit: the wait ends when the helper answers or
     * dies, since its answers then end and the future fails); throws {@link StartCancelled} when the
     * pool's waiting steps were withdrawn first.
     */
    Process start(List<String> argv, Map<String, String> env, Path cwd, Path log, Pool pool) throws IOException {
        // what cannot be passed (a NUL) is refused here, before anything is sent
        env.forEach((k, v) -> checkField(k + "=" + v));
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        field(r, cwd.toString());
        field(r, log.toString());
        byte[] start = r.toByteArray();
        r.reset();
        field(r, Integer.toString(argv.size()));
        argv.forEach(a -> field(r, a));
        byte[] args = r.toByteArray();
        long id = ids.incrementAndGet();
        CompletableFuture<Long> started = new CompletableFuture<>();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        starting.put(id, started);
        exits.put(id, exit);
        try {
            synchronized (requests) {
                String envId = environment(env);
                String poolId = poolId(pool);
                r.reset();
                field(r, "S");
                field(r, Long.toString(id));
                field(r, poolId);
                r.writeBytes(start);
                field(r, envId);
                r.writeBytes(args);
                requests.write(r.toByteArray());
                requests.flush();
            }
            return new Launched(started.get(), exit);
        } catch (IOException e) {
            fail(e.getMessage());
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StartCancelled c) {
                throw c;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(started);
            throw new IOException("interrupted while starting the step", e);
        } finally {
            starting.remove(id);
        }
    }

    /** The engine stopped waiting for a start: should the step start after all, it is stopped. */
    private static void abandon(CompletableFuture<Long> started) {
        if (!started.cancel(false) && !started.isCompletedExceptionally()) {
            ProcessHandle.of(started.join()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * The helper's id of {@code pool}, defined first when new ({@code P id limit}; the helper knows
     * {@code 0} as no pool); holds the requests lock.
     */
    private String poolId(Pool pool) throws IOException {
        if (pool == NO_LIMIT) {
            return "0";
        }
        String known = pools.get(pool);
        if (known != null) {
            return known;
        }
        String id = Long.toString(++poolCount);
        request("P", id, Integer.toString(pool.limit));
        pools.put(pool, id);
        return id;
    }

    /** Writes one request of fixed fields, without flushing; holds the requests lock. */
    private void request(String... fields) throws IOException {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        for (String f : fields) {
            field(r, f);
        }
        requests.write(r.toByteArray());
    }

    /**
     * Withdraws the steps of {@code pool} still waiting for a place ({@code C id}): their starts
     * throw {@link StartCancelled}. Steps already running are not touched.
     */
    void cancelQueued(Pool pool) {
        synchronized (requests) {
            String id = pools.get(pool);
            if (id == null || broken) {
                return;
            }
            try {
                request("C", id);
                requests.flush();
            } catch (IOException e) {
                fail(e.getMessage());
            }
        }
    }

    private static void checkField(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be passed to a process");
        }
    }

    /**
     * The helper's id of {@code env}, defined first when new ({@code E id n k=v...}): steps mostly
     * share one environment, which then crosses the pipe and is parsed once, not per step. The
     * helper keeps the {@value #ENVIRONMENTS} used last ({@code F id} forgets one). Holds the
     * requests lock; writes without flushing.
     */
    private String environment(Map<String, String> env) throws IOException {
        String known = environments.get(env);
        if (known != null) {
            return known;
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        String envId = Long.toString(++environmentCount);
        field(r, "E");
        field(r, envId);
        field(r, Integer.toString(env.size()));
        env.forEach((k, v) -> field(r, k + "=" + v));
        requests.write(r.toByteArray());
        environments.put(Map.copyOf(env), envId);
        if (environments.size() > ENVIRONMENTS) {
            Iterator<Map.Entry<Map<String, String>, String>> eldest = environments.entrySet().iterator();
            String gone = eldest.next().getValue();
            eldest.remove();
            request("F", gone);
        }
        return envId;
    }

    private static void field(ByteArrayOutputStream out, String value) {
        checkField(value);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    private void readAnswers() {
        try (BufferedReader in = answers) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ", 3);
                if (f.length == 2 && f[0].equals("c")) {
                    // a waiting step withdrawn by cancelQueued
                    long id = Long.parseLong(f[1]);
                    exits.remove(id);
                    CompletableFuture<Long> s = starting.get(id);
                    if (s != null) {
                        s.completeExceptionally(new StartCancelled());
                    }
                    continue;
                }
                if (f.length < 3) {
                    continue;
                }
                long id = Long.parseLong(f[1]);
                switch (f[0]) {
                    case "s" -> {
                        long pid = Long.parseLong(f[2]);
                        CompletableFuture<Long> s = starting.get(id);
                        if (s == null || !s.complete(pid)) {
                            // started after the engine gave up waiting for it: nobody follows it
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                    case "e" -> {
                        CompletableFuture<Long> s = starting.get(id);
                        if (s != null) {
                            s.completeExceptionally(new IOException(f[2]));
                        }
                        exits.remove(id);
                    }
                    case "x" -> complete(exits.remove(id), Integer.parseInt(f[2]));
                    default -> {
                        // an answer of a newer protocol: nothing to do with it
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the launcher is gone: handled below like an end of its output
        }
        fail("the process launcher exited");
    }

    private static <T> void complete(CompletableFuture<T> f, T value) {
        if (f != null) {
            f.complete(value);
        }
    }

    /**
     * The launcher is unusable: starts waiting for it fail (the next start gets a new launcher), and
     * the steps it had started are followed by their process handles (their exit codes are lost).
     */
    private void fail(String why) {
        broken = true;
        starting.values().forEach(f -> f.completeExceptionally(new IOException(why)));
        exits.values().forEach(f -> f.completeExceptionally(new IOException(why)));
        helper.destroy();
    }

    /** A step started by the launcher: its exit code comes from Perl, which reaps it. */
    static final class Launched extends Process {
        private final long pid;
        private final CompletableFuture<Integer> exit;
        /** Looked up on first use (most steps end without one being needed); empty once the step ended. */
        private Optional<ProcessHandle> handle;

        Launched(long pid, CompletableFuture<Integer> exit) {
            this.pid = pid;
            this.exit = exit;
        }

        private synchronized Optional<ProcessHandle> handle() {
            if (handle == null) {
                // a handle holds the start time, so that it never signals a later process given the same
                // pid; a step whose exit was reported is gone (one whose launcher died may still run)
                boolean ended = exit.isDone() && !exit.isCompletedExceptionally();
                handle = ended ? Optional.empty() : ProcessHandle.of(pid);
            }
            return handle;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                return lost();
            }
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                exit.get(timeout, unit);
                return true;
            } catch (ExecutionException e) {
                lost();
                return true;
            } catch (TimeoutException e) {
                return false;
            }
        }

        /** The launcher died before the step ended: wait for the step itself; its exit code is unknown. */
        private int lost() throws InterruptedException {
            handle().ifPresent(h -> h.onExit().join());
            return LOST_EXIT;
        }

        @Override
        public int exitValue() {
            if (!exit.isDone()) {
                throw new IllegalThreadStateException("process " + pid + " has not exited");
            }
            return exit.isCompletedExceptionally() ? LOST_EXIT : exit.join();
        }

        @Override
        public void destroy() {
            handle().ifPresent(ProcessHandle::destroy);
        }

        @Override
        public Process destroyForcibly() {
            handle().ifPresent(ProcessHandle::destroyForcibly);
            return this;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone() && handle().map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public ProcessHandle toHandle() {
            return handle().orElseGet(() -> new Gone(pid));
        }
    }

    /** The exit code reported when the launcher died while the step ran (as a shell reports an unknown status). */
    static final int LOST_EXIT = 255;

    /** A step that had already ended and been reaped when its handle was asked for. */
    private record Gone(long pid) implements ProcessHandle {
        @Override
        public Optional<ProcessHandle> parent() {
            return Optional.empty();
        }

        @Override
        public Stream<ProcessHandle> children() {
            return Stream.empty();
        }

        @Override
        public Stream<ProcessHandle> descendants() {
            return Stream.empty();
        }

        @Override
        public Info info() {
            return new Info() {
                @Override
                public Optional<String> command() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> commandLine() {
                    return Optional.empty();
                }

                @Override
                public Optional<String[]> arguments() {
                    return Optional.empty();
                }

                @Override
                public Optional<Instant> startInstant() {
                    return Optional.empty();
                }

                @Override
                public Optional<java.time.Duration> totalCpuDuration() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> user() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public CompletableFuture<ProcessHandle> onExit() {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean destroy() {
            return false;
        }

        @Override
        public boolean destroyForcibly() {
            return false;
        }

        @Override
        public boolean isAlive() {
            return false;
        }

        @Override
        public int compareTo(ProcessHandle other) {
            return Long.compare(pid, other.pid());
        }
    }

    /** The helper's process (tests stop it to check what happens then). */
    Process process() {
        return helper;
    }
}

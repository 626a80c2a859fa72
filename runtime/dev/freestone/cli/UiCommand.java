package dev.freestone.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code freestone ui}: the run store in a browser, read-only, on this machine. The JDK's own HTTP server, pages rendered
 * here as plain HTML (docs/ui.md); each request opens the store as the read commands do and closes it, so a run
 * writing to it is never held up.
 */
@Command(name = "ui", mixinStandardHelpOptions = true, description = {
    "Serve a read-only web view of the run store: runs, a run's tasks, logs and artifacts, metrics compared.",
    "By default it listens on 127.0.0.1 only (the store holds every run's parameters and logs), prints its address"
        + " and serves until Ctrl-C. The pages: the runs (/), a run (/runs/RUN), a task's log (/runs/RUN/logs/TASK),"
        + " a run's artifacts with its reports drawn (/runs/RUN/artifacts), metrics compared (/compare?run=A&run=B);"
        + " see docs/ui.md."})
final class UiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Not 8080 (where `kubectl port-forward` puts KFP's UI) nor 2746 (Argo's server): the three can run side by side. */
    static final int DEFAULT_PORT = 8765;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "The port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "The address to listen on"
            + " (one of this machine's; anyone who can reach it can read the store). Default: ${DEFAULT-VALUE}.")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new UserError("--port " + port + " is not a port", "give a number from 1 to 65535, or 0 for a free port",
                    Main.USAGE);
        }
        InetAddress address = address();
        // a store that cannot be opened (newer, damaged, not a directory) is said here, once, not on every page
        Cli.openStore().close();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (BindException e) {
            boolean taken = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use");
            throw new UserError("cannot listen on " + host + ":" + port + ": " + (taken
                    ? "the port is taken (another program, or another `freestone ui`, listens there)" : e.getMessage()),
                    "choose another port with --port N, or --port 0 for a free one");
        } catch (IOException e) {
            throw new UserError("cannot listen on " + host + ":" + port + ": " + Cli.ioProblem(e),
                    "choose another port with --port N, or --port 0 for a free one");
        }
        String origin = (address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                + ":" + server.getAddress().getPort();
        // a few requests at once (a page and its log download); daemon threads never keep the JVM up
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "freestone-ui");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", new UiPages(hosts(address, origin), err));
        server.setExecutor(threads);
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C (and a SIGTERM) end the serving, not the JVM: the command returns and exits 0
        sun.misc.SignalHandler stopping = signal -> stop.countDown();
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), stopping);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stopping);
        server.start();
        out.println("Freestone UI at http://" + origin + "/");
        out.flush();
        if (!address.isLoopbackAddress()) {
            err.println("note: listening on " + host + ": anyone who can reach it can read every run's parameters and logs");
            err.flush();
        }
        stop.await();
        server.stop(0);
        threads.shutdownNow();
        return Main.OK;
    }

    /** The address of {@code --host}: one of this machine's, not the wildcard (a request's Host is checked against it). */
    private InetAddress address() {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UserError("--host " + host + " is not an address of this machine", "the default, 127.0.0.1,"
                    + " serves this machine alone", Main.USAGE);
        }
        if (address.isAnyLocalAddress()) {
            throw new UserError("--host " + host + " listens on every network of the machine",
                    "give the one address to serve on (the UI checks that requests name it: see docs/security.md)",
                    Main.USAGE);
        }
        return address;
    }

    /**
     * The Host headers a request may carry: the address served and, on the loopback, {@code localhost}. A page a
     * browser loaded from another name that resolves here (DNS rebinding) carries that name, and is refused.
     */
    private Set<String> hosts(InetAddress address, String origin) {
        String port = origin.substring(origin.lastIndexOf(':'));
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(origin.toLowerCase(Locale.ROOT));
        hosts.add(host.toLowerCase(Locale.ROOT) + port);
        if (address.isLoopbackAddress()) {
            hosts.add("localhost" + port);
        }
        return hosts;
    }
}

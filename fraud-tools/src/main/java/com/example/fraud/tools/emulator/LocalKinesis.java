package com.example.fraud.tools.emulator;

import com.example.fraud.tools.kinesis.KinesisClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The local Kinesis emulator (npm {@code kinesis-local}) as a child process: installs it if needed, starts
 * {@code node node_modules/kinesis-local/main.js} on plain HTTP 127.0.0.1:PORT, waits until it answers,
 * creates streams, and on {@link #close()} kills it and waits for it to exit.
 *
 * <p>Persistence is off, so every start is empty. The emulator's output goes to a log file, never to the
 * console. A JVM shutdown hook kills it too, and the preloaded {@code exit-with-parent.js} makes node exit
 * when this JVM dies without running hooks.
 */
public final class LocalKinesis implements AutoCloseable {
    public static final int DEFAULT_PORT = 4568;
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final String EXIT_WITH_PARENT = "exit-with-parent.js";

    private final Process process;
    private final int port;
    private final URI endpoint;
    private final Path logFile;
    private final KinesisClient client;
    private final Thread shutdownHook;

    private LocalKinesis(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.endpoint = endpointFor(port);
        this.logFile = logFile;
        this.client = KinesisClients.local(endpoint);
        this.shutdownHook = new Thread(this::stopProcess, "local-kinesis-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Installs (npm ci) if needed, starts the emulator and waits until it serves requests.
     *
     * @param emulatorDir the folder with package.json and package-lock.json (the repository's emulator/)
     * @param port plain HTTP port, or 0 for a free one
     * @param logFile where the emulator's stdout and stderr go (appended)
     */
    public static LocalKinesis start(Path emulatorDir, int port, Path logFile) throws IOException {
        Path dir = emulatorDir.toAbsolutePath().normalize();
        Path log = logFile.toAbsolutePath().normalize();
        if (log.getParent() != null) {
            Files.createDirectories(log.getParent());
        }
        EmulatorInstaller.ensureInstalled(dir, log);

        int plainPort = port == 0 ? freePort() : port;
        requireFree(plainPort);
        int tlsPort = freePort(); // never used, but it must not collide with another emulator's 4567

        List<String> command = new ArrayList<>(List.of("node"));
        if (Files.isRegularFile(dir.resolve(EXIT_WITH_PARENT))) {
            command.addAll(List.of("-r", dir.resolve(EXIT_WITH_PARENT).toString()));
        }
        command.add(EmulatorInstaller.MAIN_JS);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        env.put("KINESIS_MOCK_CERT_PATH", dir.resolve(EmulatorInstaller.CERT).toString());
        env.put("SHOULD_PERSIST_DATA", "false");
        env.remove("INITIALIZE_STREAMS"); // streams are created explicitly, with a wait for ACTIVE

        Files.writeString(log, "---- " + Instant.now() + " starting kinesis-local on port " + plainPort + ": "
                + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("Cannot start node (is Node.js 20 installed?): " + e.getMessage(), e);
        }
        LocalKinesis emulator = new LocalKinesis(process, plainPort, log);
        try {
            emulator.awaitReady(START_TIMEOUT);
        } catch (RuntimeException | IOException e) {
            emulator.close();
            throw e;
        }
        return emulator;
    }

    /** {@link #start(Path, int, Path)} and then {@link #createStreams(List)}. */
    public static LocalKinesis start(Path emulatorDir, int port, Path logFile, List<StreamSpec> streams)
            throws IOException {
        LocalKinesis emulator = start(emulatorDir, port, logFile);
        try {
            emulator.createStreams(streams);
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        return emulator;
    }

    /** Creates streams on an emulator that is already running (started by someone else). */
    public static void createStreams(URI endpoint, List<StreamSpec> streams) {
        try (KinesisClient c = KinesisClients.local(endpoint)) {
            StreamCreator.createAndAwait(c, streams, STREAM_TIMEOUT);
        }
    }

    /** Creates streams (existing ones are kept) and waits until they are ACTIVE. */
    public void createStreams(List<StreamSpec> streams) {
        StreamCreator.createAndAwait(client, streams, STREAM_TIMEOUT);
    }

    public void createStreams(StreamSpec... streams) {
        createStreams(Arrays.asList(streams));
    }

    public static URI endpointFor(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A port that was free a moment ago (the OS picks it). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** http://127.0.0.1:PORT */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** A client for this emulator, owned by it: closed by {@link #close()}. */
    public KinesisClient client() {
        return client;
    }

    /** Blocks until the emulator process exits (for the {@code emulator} command). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Kills the emulator (its whole process tree) and waits for it to exit. Idempotent. */
    @Override
    public void close() {
        client.close();
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: nothing to remove
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>();
        process.descendants().forEach(children::add);
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A TCP connect is cheap; only then ask the API, so the SDK does not back off on refused connections.
        while (!acceptsConnections(port)) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException("kinesis-local did not open port " + port + " within " + timeout + "; see "
                        + logFile + logTail());
            }
            StreamCreator.sleep(100);
        }
        while (true) {
            checkAlive();
            try {
                client.listStreams();
                return;
            } catch (SdkException notReadyYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("kinesis-local on port " + port + " did not answer ListStreams within "
                            + timeout + ": " + notReadyYet.getMessage() + "; see " + logFile + logTail(), notReadyYet);
                }
            }
            StreamCreator.sleep(200);
        }
    }

    private void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("kinesis-local exited with code " + process.exitValue() + " during start-up; see "
                    + logFile + logTail());
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails fast when another emulator (or anything) has the port: we would otherwise talk to it. */
    private static void requireFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port)); // the emulator binds all interfaces, so check the same
        } catch (IOException e) {
            throw new IOException("Port " + port + " is already in use (another emulator running?). "
                    + "Use it as is with --endpoint http://127.0.0.1:" + port + ", or pick another --port.", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return tail.isEmpty() ? "" : System.lineSeparator() + String.join(System.lineSeparator(), tail);
        } catch (IOException e) {
            return "";
        }
    }
}

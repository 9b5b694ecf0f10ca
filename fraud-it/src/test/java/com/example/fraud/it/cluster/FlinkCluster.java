package com.example.fraud.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Flink standalone session cluster (one JobManager and N TaskManagers, each its own JVM) for tests,
 * started and stopped through {@code cluster/flink-cluster.sh}, the same script people use (see
 * docs/flink-cluster.md), on free ports with a work directory under {@code fraud-it/target}; plus REST
 * helpers to upload and run jars, follow job states, stop with a savepoint and cancel.
 *
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.builder().taskManagers(2).start()) {
 *     String jarId = cluster.uploadJar(jar);
 *     String jobId = cluster.run(jarId, "com.example.Job", List.of("--x", "1"), 2, null);
 *     cluster.waitForRunning(jobId, Duration.ofMinutes(1));
 *     String savepoint = cluster.stopWithSavepoint(jobId, cluster.workDir().resolve("savepoints"));
 *     String resumed = cluster.run(jarId, "com.example.Job", List.of(), 2, savepoint);
 * }
 * }</pre>
 *
 * <p>The script builds {@code cluster/target/flink/lib} with Maven ({@code mvn -f cluster/pom.xml package}) if
 * it is missing. A JVM shutdown hook stops the cluster should a test end without {@link #close()}.
 */
public final class FlinkCluster implements AutoCloseable {

    public static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path script;
    private final Path workDir;
    private final int restPort;
    private final URI restUrl;
    private final Duration startDuration;
    private final HttpClient http;
    private final Thread shutdownHook;
    private boolean closed;

    private FlinkCluster(Path script, Path workDir, int restPort, Duration startDuration) {
        this.script = script;
        this.workDir = workDir;
        this.restPort = restPort;
        this.restUrl = URI.create("http://localhost:" + restPort);
        this.startDuration = startDuration;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.shutdownHook = new Thread(this::stopQuietly, "flink-cluster-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of {@code flink-cluster.sh start}; ports are always picked free. */
    public static final class Builder {
        private int taskManagers = 1;
        private int slots = 2;
        private Path workDir;
        private Duration startTimeout = Duration.ofMinutes(3);
        private final Map<String, String> conf = new LinkedHashMap<>();

        private Builder() {}

        public Builder taskManagers(int taskManagers) {
            this.taskManagers = taskManagers;
            return this;
        }

        public Builder slots(int slotsPerTaskManager) {
            this.slots = slotsPerTaskManager;
            return this;
        }

        /** Default: {@code fraud-it/target/flink-cluster/<random>}. Anything running there already is stopped first. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** How long the script waits for all TaskManagers to register (its {@code --timeout}). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Any Flink option written to {@code conf/config.yaml} (the script's {@code --conf key=value}). */
        public Builder conf(String key, String value) {
            conf.put(key, value);
            return this;
        }

        public FlinkCluster start() {
            Path root = repositoryRoot();
            Path script = root.resolve("cluster/flink-cluster.sh");
            Path dir = (workDir != null ? workDir
                    : root.resolve("fraud-it/target/flink-cluster").resolve(UUID.randomUUID().toString().substring(0, 8)))
                    .toAbsolutePath().normalize();
            // A test run that died without close() may have left a cluster in this directory: it is ours to stop.
            runScript(script, Duration.ofMinutes(1), "stop", "--dir", dir.toString());

            long started = System.nanoTime();
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                int restPort = freePort();
                int rpcPort = freePort();
                List<String> args = new ArrayList<>(List.of("start",
                        "--taskmanagers", Integer.toString(taskManagers), "--slots", Integer.toString(slots),
                        "--port", Integer.toString(restPort), "--rpc-port", Integer.toString(rpcPort),
                        "--dir", dir.toString(), "--timeout", Long.toString(startTimeout.toSeconds())));
                conf.forEach((k, v) -> {
                    args.add("--conf");
                    args.add(k + "=" + v);
                });
                try {
                    // Generous: the first start may build cluster/target/flink/lib with Maven.
                    runScript(script, startTimeout.plusMinutes(10), args.toArray(String[]::new));
                    return new FlinkCluster(script, dir, restPort, Duration.ofNanos(System.nanoTime() - started));
                } catch (IllegalStateException e) {
                    last = e;
                    // Lost a race for a port picked free a moment ago: pick others.
                    if (!String.valueOf(e.getMessage()).contains("is in use")) {
                        throw e;
                    }
                }
            }
            throw last;
        }
    }

    // ---- cluster -------------------------------------------------------------------------------------------

    /** REST API and web UI, e.g. {@code http://localhost:41234}. */
    public URI restUrl() {
        return restUrl;
    }

    public int restPort() {
        return restPort;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logDir() {
        return workDir.resolve("log");
    }

    /** From the script's start to all TaskManagers registered. */
    public Duration startDuration() {
        return startDuration;
    }

    /** Pids of the JobManager and TaskManagers, from the script's pid files. */
    public List<Long> pids() {
        Path dir = workDir.resolve("pids");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted()
                    .map(f -> Long.parseLong(read(f).trim())).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int taskManagerCount() {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    /** {@code GET /overview}: taskmanagers, slots-total, slots-available, jobs-running, ... */
    public JsonNode overview() {
        return get("/overview");
    }

    /** Stops the cluster (TERM, then KILL after a grace period) and waits for its processes to exit. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or will run; stopping twice is harmless
        }
        runScript(script, Duration.ofMinutes(2), "stop", "--dir", workDir.toString());
    }

    private void stopQuietly() {
        try {
            runScript(script, Duration.ofMinutes(1), "stop", "--dir", workDir.toString());
        } catch (RuntimeException e) {
            System.err.println("[flink-cluster] stop failed: " + e.getMessage());
        }
    }

    // ---- jobs ----------------------------------------------------------------------------------------------

    /** {@code POST /jars/upload}; returns the jar id used by {@link #run}. */
    public String uploadJar(Path jar) {
        String boundary = "----flink-cluster-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                    + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode response = send(request("/jars/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 200);
        String filename = response.path("filename").asText();
        if (filename.isEmpty()) {
            throw new IllegalStateException("upload of " + jar + " answered " + response);
        }
        return Paths.get(filename).getFileName().toString();
    }

    /**
     * {@code POST /jars/{jarId}/run}: runs the jar's main() in the JobManager and returns the job id.
     *
     * @param entryClass null for the jar manifest's Main-Class
     * @param savepointPath null for a fresh start, else a savepoint (or retained checkpoint) to resume from
     */
    public String run(String jarId, String entryClass, List<String> programArgs, int parallelism, String savepointPath) {
        ObjectNode body = JSON.createObjectNode();
        if (entryClass != null) {
            body.put("entryClass", entryClass);
        }
        body.putArray("programArgsList").addAll(programArgs.stream().map(JSON.getNodeFactory()::textNode)
                .collect(Collectors.toList()));
        body.put("parallelism", parallelism);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
        }
        JsonNode response = send(request("/jars/" + jarId + "/run").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 200);
        return response.path("jobid").asText();
    }

    /** CREATED, RUNNING, FINISHED, CANCELED, FAILED, ... ({@code GET /jobs/{id}}). */
    public String jobState(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Waits for the job state; fails early if the job ends in another state. Returns the time waited. */
    public Duration waitForState(String jobId, String state, Duration timeout) {
        return await(jobId, timeout, "state " + state, job -> state.equals(job.path("state").asText()));
    }

    /**
     * Waits until the job is RUNNING and so are all its tasks (the job turns RUNNING while tasks still deploy,
     * and checkpoints or stop-with-savepoint fail until every task runs). Returns the time waited.
     */
    public Duration waitForRunning(String jobId, Duration timeout) {
        return await(jobId, timeout, "all tasks RUNNING", job -> "RUNNING".equals(job.path("state").asText())
                && job.path("vertices").size() > 0
                && stream(job.path("vertices")).allMatch(v -> "RUNNING".equals(v.path("status").asText())));
    }

    /**
     * Stops the job with a savepoint ({@code POST /jobs/{id}/stop}, then polls the trigger), waits for the job
     * to finish, and returns the savepoint location as Flink reports it (e.g. {@code file:/.../savepoint-abc-123}),
     * ready to pass to {@link #run} as {@code savepointPath}. {@link #toPath} turns it into a directory.
     *
     * <p>A stop can fail without harm to the job: when a task restarts while the savepoint is taken, Flink declines
     * the savepoint ({@code CheckpointException: Task has failed.}) and the job keeps running, as an operator
     * would see it. Any other failure, or a job that is not running again, fails at once. Then the failure is
     * printed with the job's exception history and the ERROR lines of the cluster's logs, and the stop is tried again once
     * every task runs, up to {@value #STOP_ATTEMPTS} times in all.
     */
    public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            JsonNode operation = stopOnce(jobId, targetDirectory, deadline);
            if (!operation.hasNonNull("failure-cause")) {
                waitForState(jobId, "FINISHED", remaining(deadline));
                return operation.path("location").asText();
            }
            sleepQuietly(Duration.ofSeconds(2)); // the exception history is archived asynchronously
            String state = get("/jobs/" + jobId).path("state").asText();
            String failure = "stop-with-savepoint of job " + jobId + " failed (attempt " + attempt + " of "
                    + STOP_ATTEMPTS + ", job now " + state + "): "
                    + operation.path("failure-cause").path("stack-trace").asText(operation.toString())
                    + "\nThe job's exception history, newest first:\n" + exceptionHistoryOrWhyNot(jobId)
                    + "\nERROR lines of the cluster's logs:\n" + logErrors();
            boolean declined = operation.path("failure-cause").path("stack-trace").asText()
                    .contains("CheckpointException: Task has failed.");
            if (attempt == STOP_ATTEMPTS || !declined || !(state.equals("RUNNING") || state.equals("RESTARTING")
                    || state.equals("CREATED"))) {
                throw new IllegalStateException(failure);
            }
            System.out.println("[flink-cluster] " + failure + "\n[flink-cluster] stopping again once all tasks run");
            waitForRunning(jobId, remaining(deadline));
        }
    }

    static final int STOP_ATTEMPTS = 3;

    /** One {@code POST /jobs/{id}/stop}; returns its completed operation (with a failure-cause if it failed). */
    private JsonNode stopOnce(String jobId, Path targetDirectory, long deadline) {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", targetDirectory.toAbsolutePath().toUri().toString());
        body.put("drain", false);
        JsonNode trigger = send(request("/jobs/" + jobId + "/stop").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 202);
        String triggerId = trigger.path("request-id").asText();
        while (true) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + triggerId);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                return status.path("operation");
            }
            sleepOrTimeout(deadline, "savepoint of job " + jobId);
        }
    }

    /** The ERROR lines (and the line after each) of the cluster's logs, at most 40; for failure reports. */
    private String logErrors() {
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logDir(), "*.log")) {
            for (Path log : logs) {
                List<String> all = Files.readAllLines(log);
                for (int i = 0; i < all.size() && lines.size() < 40; i++) {
                    if (all.get(i).contains(" ERROR ")) {
                        lines.add(log.getFileName() + ": " + all.get(i));
                        if (i + 1 < all.size()) {
                            lines.add("    " + all.get(i + 1));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "(unavailable: " + e + ")";
        }
        return lines.isEmpty() ? "(none)" : String.join("\n", lines);
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String stopWithSavepoint(String jobId, Path targetDirectory) {
        return stopWithSavepoint(jobId, targetDirectory, Duration.ofMinutes(2));
    }

    /** Cancels the job ({@code PATCH /jobs/{id}?mode=cancel}) and waits until it is CANCELED. */
    public void cancel(String jobId) {
        send(request("/jobs/" + jobId + "?mode=cancel").method("PATCH", HttpRequest.BodyPublishers.noBody()), 202);
        waitForState(jobId, "CANCELED", Duration.ofMinutes(1));
    }

    /** The savepoint or checkpoint the job was restored from, if any ({@code GET /jobs/{id}/checkpoints}). */
    public Optional<String> restoredFrom(String jobId) {
        JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.hasNonNull("external_path") ? Optional.of(restored.path("external_path").asText()) : Optional.empty();
    }

    /** Checkpoints completed so far ({@code GET /jobs/{id}/checkpoints}, counts.completed). */
    public long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /**
     * The checkpoint id the job last restored from, if it restored one; a failover restore shows here as well
     * as a start from a savepoint ({@code latest.restored} of {@code GET /jobs/{id}/checkpoints}).
     */
    public Optional<Long> restoredCheckpointId(String jobId) {
        JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.hasNonNull("id") ? Optional.of(restored.path("id").asLong()) : Optional.empty();
    }

    /**
     * The TaskManagers running any of the job's tasks, by resource id; flink-cluster.sh sets each TaskManager's
     * resource id to its pid file's name ({@code taskmanager-1}, ...), so these are keys of {@link #pidsByName()}.
     */
    public Set<String> taskManagersOf(String jobId) {
        Set<String> ids = new java.util.TreeSet<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            JsonNode tms = get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers");
            for (JsonNode tm : tms.path("taskmanagers")) {
                ids.add(tm.path("taskmanager-id").asText());
            }
        }
        return ids;
    }

    /** Pids by component name ({@code jobmanager}, {@code taskmanager-1}, ...), from the script's pid files. */
    public Map<String, Long> pidsByName() {
        Path dir = workDir.resolve("pids");
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted()
                    .collect(Collectors.toMap(f -> f.getFileName().toString().replaceFirst("\\.pid$", ""),
                            f -> Long.parseLong(read(f).trim()), (a, b) -> a, LinkedHashMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills a component with SIGKILL (a crash: no shutdown hook, no deregistration) and waits until its process
     * is gone. Returns the pid killed.
     */
    public long killHard(String name, Duration timeout) {
        Long pid = pidsByName().get(name);
        if (pid == null) {
            throw new IllegalArgumentException("no pid file for " + name + " in " + workDir.resolve("pids"));
        }
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") is not running"));
        if (!process.destroyForcibly()) {
            throw new IllegalStateException("could not kill " + name + " (pid " + pid + ")");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            sleepOrTimeout(deadline, "exit of " + name + " (pid " + pid + ")");
        }
        return pid;
    }

    /** The root exception and its stack trace, or "" ({@code GET /jobs/{id}/exceptions}). */
    public String rootException(String jobId) {
        return get("/jobs/" + jobId + "/exceptions").path("root-exception").asText("");
    }

    /**
     * Each failure the job recorded, with its task and the head of its stack trace ({@code GET
     * /jobs/{id}/exceptions}): a stop-with-savepoint reports the last task's failure, often only a cancellation
     * caused by an earlier one.
     */
    public String exceptionHistory(String jobId) {
        JsonNode history = get("/jobs/" + jobId + "/exceptions?maxExceptions=10").path("exceptionHistory");
        StringBuilder text = new StringBuilder();
        for (JsonNode entry : history.path("entries")) {
            String trace = entry.path("stacktrace").asText("");
            // the head names the failure, the tail holds its root cause
            String shown = trace.length() <= 4000 ? trace
                    : trace.substring(0, 2000) + "\n[...]\n" + trace.substring(trace.length() - 2000);
            text.append("- ").append(entry.path("taskName").asText("(global)")).append(" at ")
                    .append(entry.path("timestamp").asLong()).append(": ").append(shown).append('\n');
        }
        if (history.path("truncated").asBoolean()) {
            text.append("(older failures left out)\n");
        }
        return text.length() == 0 ? "(none)" : text.toString();
    }

    private String exceptionHistoryOrWhyNot(String jobId) {
        try {
            return exceptionHistory(jobId);
        } catch (RuntimeException e) { // never hide the stop's own failure
            return "(unavailable: " + e + ")";
        }
    }

    /** A savepoint location such as {@code file:/a/b} as a local path. */
    public static Path toPath(String location) {
        return location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location);
    }

    // ---- REST ----------------------------------------------------------------------------------------------

    /** {@code GET} any REST path, e.g. {@code /jobs/overview}, as JSON. */
    public JsonNode get(String path) {
        return send(request(path).GET(), 200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(restUrl.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(built.method() + " " + built.uri() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        try {
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON from " + built.uri() + ": " + response.body(), e);
        }
    }

    private Duration await(String jobId, Duration timeout, String what, Predicate<JsonNode> done) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            JsonNode job = get("/jobs/" + jobId);
            if (done.test(job)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            String state = job.path("state").asText();
            if (TERMINAL_STATES.contains(state)) {
                throw new IllegalStateException("job " + jobId + " is " + state + " while waiting for " + what
                        + "\n" + rootException(jobId));
            }
            sleepOrTimeout(deadline, what + " of job " + jobId + " (now " + state + ")");
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
    }

    private static void sleepOrTimeout(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        }
    }

    // ---- the script ----------------------------------------------------------------------------------------

    /** Runs flink-cluster.sh, echoing its output; throws with that output if it fails. */
    private static String runScript(Path script, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().getParent().toFile())
                .redirectErrorStream(true);
        StringBuilder output = new StringBuilder();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        System.out.println("[flink-cluster] " + line);
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "flink-cluster-output");
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                throw new IllegalStateException("flink-cluster.sh " + String.join(" ", args) + " timed out after " + timeout);
            }
            reader.join(5_000);
            synchronized (output) {
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("flink-cluster.sh " + String.join(" ", args) + " exited with "
                            + process.exitValue() + ":\n" + output);
                }
                return output.toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The directory holding cluster/flink-cluster.sh: the working directory or one of its parents. */
    static Path repositoryRoot() {
        String override = System.getProperty("fraud.repo.root");
        if (override != null) {
            return Paths.get(override).toAbsolutePath();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cluster/flink-cluster.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cluster/flink-cluster.sh not found above " + Paths.get("").toAbsolutePath()
                + "; set -Dfraud.repo.root");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

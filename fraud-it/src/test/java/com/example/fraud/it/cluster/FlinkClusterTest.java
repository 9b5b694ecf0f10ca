package com.example.fraud.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone session cluster (1 JobManager + 2 TaskManagers, separate JVMs) started by
 * cluster/flink-cluster.sh: submit a job jar by REST, stop it with a savepoint, resume from that savepoint,
 * cancel, and leave no process behind. Timings go to the output, never into assertions.
 */
class FlinkClusterTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void runsAJobStopsItWithASavepointAndResumesFromIt(@TempDir Path tmp) throws Exception {
        Path jar = jobJar(tmp.resolve("slow-counting-job.jar"));
        List<Long> pids;
        long total = System.nanoTime();

        try (FlinkCluster cluster = FlinkCluster.builder().taskManagers(2).slots(2).start()) {
            report("cluster start (script, 1 JM + 2 TMs registered)", cluster.startDuration());
            System.out.println("[timing] web UI: " + cluster.restUrl() + ", workdir " + cluster.workDir());
            pids = cluster.pids();
            assertThat(pids).hasSize(3).allMatch(FlinkClusterTest::alive);
            assertThat(cluster.taskManagerCount()).isEqualTo(2);
            assertThat(cluster.overview().path("slots-total").asInt()).isEqualTo(4);
            HttpResponse<String> webUi = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(cluster.restUrl().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(webUi.statusCode()).isEqualTo(200);
            assertThat(webUi.body()).contains("Apache Flink Web Dashboard");

            String jarId = cluster.uploadJar(jar);
            long submit = System.nanoTime();
            String job = cluster.run(jarId, SlowCountingJob.class.getName(), List.of("--sleep-ms", "5"), 2, null);
            cluster.waitForRunning(job, TIMEOUT);
            report("submit to all tasks RUNNING", since(submit));
            assertThat(cluster.jobState(job)).isEqualTo("RUNNING");

            Path savepoints = cluster.workDir().resolve("test-savepoints");
            long stop = System.nanoTime();
            String savepoint = cluster.stopWithSavepoint(job, savepoints, TIMEOUT);
            report("stop with savepoint (to FINISHED)", since(stop));
            System.out.println("[timing] savepoint: " + savepoint);
            Path savepointDir = FlinkCluster.toPath(savepoint);
            assertThat(savepointDir).isDirectory().startsWith(savepoints);
            assertThat(savepointDir.resolve("_metadata")).isRegularFile();
            assertThat(cluster.jobState(job)).isEqualTo("FINISHED");

            long resume = System.nanoTime();
            String resumed = cluster.run(jarId, SlowCountingJob.class.getName(), List.of("--sleep-ms", "5"), 2, savepoint);
            cluster.waitForRunning(resumed, TIMEOUT);
            report("resume from savepoint to all tasks RUNNING", since(resume));
            assertThat(resumed).isNotEqualTo(job);
            assertThat(cluster.jobState(resumed)).isEqualTo("RUNNING");
            assertThat(cluster.restoredFrom(resumed)).hasValueSatisfying(
                    path -> assertThat(FlinkCluster.toPath(path)).isEqualTo(savepointDir));

            cluster.cancel(resumed);
            assertThat(cluster.jobState(resumed)).isEqualTo("CANCELED");
        }

        report("whole test including stop", since(total));
        assertThat(pids).noneMatch(FlinkClusterTest::alive);
    }

    /** The job's classes from the test classes, in a jar with a Main-Class, as a user would build it. */
    private static Path jobJar(Path jar) throws IOException, URISyntaxException {
        Path classes = Paths.get(SlowCountingJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path packageDir = classes.resolve(SlowCountingJob.class.getPackageName().replace('.', '/'));
        List<Path> files;
        try (Stream<Path> list = Files.list(packageDir)) {
            files = list.filter(f -> f.getFileName().toString().startsWith(SlowCountingJob.class.getSimpleName()))
                    .sorted().collect(Collectors.toList());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SlowCountingJob.class.getName());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Path file : files) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        return jar;
    }

    /** Running, not merely a zombie waiting for init to reap it (Linux: state Z in /proc/PID/stat). */
    private static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static void report(String what, Duration duration) {
        System.out.printf("[timing] %-45s %6.1f s%n", what, duration.toMillis() / 1000.0);
    }
}

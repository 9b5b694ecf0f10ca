package com.example.fraud.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What limits the run: CPU of the machine, of this JVM (job + generator + flood writer + reader) and of the
 * emulator (from /proc), and per job vertex the mean busy and back-pressured ratios that the Flink REST API
 * reported (GET /jobs/ID/vertices/VID/backpressure, sampled every few seconds while the input is written).
 */
final class LoadSampler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String rest;
    private final String jobId;
    private final long emulatorPid;
    /** name -> {samples, sum busy, sum back-pressured, max back-pressured}. */
    private final Map<String, double[]> seen = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    private long[] systemStart;
    private long jvmStart;
    private long emulatorStart;
    private long wallStart;

    LoadSampler(String rest, String jobId, long emulatorPid) {
        this.rest = rest;
        this.jobId = jobId;
        this.emulatorPid = emulatorPid;
    }

    void start() {
        systemStart = systemTicks();
        jvmStart = jvmCpuNanos();
        emulatorStart = processTicks(emulatorPid);
        wallStart = System.nanoTime();
    }

    /** One look at every vertex's back pressure; failures are ignored (the first call only triggers sampling). */
    void sample() {
        try {
            if (names.isEmpty()) {
                for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
                    names.put(v.path("id").asText(), v.path("name").asText());
                }
            }
            for (Map.Entry<String, String> v : names.entrySet()) {
                JsonNode bp = get("/jobs/" + jobId + "/vertices/" + v.getKey() + "/backpressure");
                if (!"ok".equals(bp.path("status").asText())) {
                    continue; // still sampling
                }
                for (JsonNode s : bp.path("subtasks")) {
                    double busy = s.path("busyRatio").asDouble(Double.NaN);
                    double back = s.path("backPressuredRatio").asDouble(s.path("ratio").asDouble());
                    double[] w = seen.computeIfAbsent(v.getValue(), k -> new double[4]);
                    w[0]++;
                    w[1] += busy;
                    w[2] += back;
                    w[3] = Math.max(w[3], back);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the REST endpoint is best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String report() {
        long[] sys = systemTicks();
        double wallS = (System.nanoTime() - wallStart) / 1e9;
        double busy = sys[1] - systemStart[1];
        double total = sys[0] - systemStart[0];
        double hz = 100.0; // USER_HZ
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "  CPU over %.0f s: machine %.0f%% busy (of %d cores); this JVM %.0f%% of a core; "
                        + "emulator %.0f%% of a core%n",
                wallS, total == 0 ? 0 : 100 * busy / total, Runtime.getRuntime().availableProcessors(),
                100 * (jvmCpuNanos() - jvmStart) / 1e9 / wallS,
                100 * (processTicks(emulatorPid) - emulatorStart) / hz / wallS));
        seen.forEach((name, w) -> out.append(String.format(Locale.ROOT,
                "  vertex %-60.60s %2.0f samples: mean busy %.2f, back-pressured mean %.2f max %.2f%n", name, w[0],
                w[1] / w[0], w[2] / w[0], w[3])));
        return out.toString();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rest + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** {all, busy} jiffies from the first line of /proc/stat. */
    private static long[] systemTicks() {
        try {
            String[] f = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length; i++) {
                all += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {all, all - idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long jvmCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }

    /** utime + stime of a process, in jiffies. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

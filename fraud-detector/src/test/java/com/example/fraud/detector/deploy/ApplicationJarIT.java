package com.example.fraud.detector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the application jar that maven-shade-plugin builds at package time (fraud-detector-VERSION-app.jar),
 * as MSF or a Flink cluster will load it. Runs in {@code mvn verify} (failsafe); the jar path comes from the
 * {@code app.jar} system property set in the pom.
 */
class ApplicationJarIT {
    /** Java 11, what MSF's FLINK-1_19 runtime runs. */
    private static final int JAVA_11 = 55;
    private static final String MAIN_CLASS = "com.example.fraud.detector.FraudDetectorJob";
    private static final String SHADED_AWS_SDK = "org/apache/flink/kinesis/shaded/software/amazon/awssdk/";
    private static final String AWS_SDK = "software/amazon/awssdk/";
    private static final String JACKSON_CORE = "com/fasterxml/jackson/core/";
    /** Third-party code relocated under com/example: not compiled by us, so not held to major version 55. */
    private static final String RELOCATED = "com/example/fraud/shaded/";
    private static final String RELOCATED_JACKSON_CORE = RELOCATED + "jackson/core/";
    /** The connector's service files the job depends on, and a provider each must list. */
    private static final Map<String, List<String>> CONNECTOR_SERVICES = Map.of(
            "META-INF/services/org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.SdkHttpService",
            List.of("org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.apache.ApacheSdkHttpService"),
            "META-INF/services/org.apache.flink.table.factories.Factory",
            List.of("org.apache.flink.streaming.connectors.kinesis.table.KinesisDynamicTableFactory",
                    "org.apache.flink.connector.kinesis.table.KinesisDynamicTableSinkFactory"));

    private static Path jar;
    /** Every entry name in the jar. */
    private static final TreeSet<String> entries = new TreeSet<>();
    /** Class file major version of every .class entry. */
    private static final Map<String, Integer> majorVersions = new TreeMap<>();
    /** The constant pool strings (Utf8 entries) of every com/example class. */
    private static final Map<String, List<String>> exampleConstants = new TreeMap<>();
    private static final Map<String, String> serviceFiles = new TreeMap<>();
    private static Manifest manifest;

    @BeforeAll
    static void readJar() throws IOException {
        String property = System.getProperty("app.jar");
        assertThat(property).as("system property app.jar (set by the failsafe configuration in the pom)").isNotBlank();
        jar = Paths.get(property);
        assertThat(jar).as("application jar; run mvn package (or verify) first").isRegularFile();
        long size = Files.size(jar);
        System.out.printf("Application jar %s: %,d bytes (%.1f MiB)%n", jar.getFileName(), size, size / 1048576.0);

        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                entries.add(name);
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.endsWith(".class")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        byte[] bytes = name.startsWith("com/example/") ? in.readAllBytes() : in.readNBytes(8);
                        majorVersions.put(name, majorVersion(name, bytes));
                        if (name.startsWith("com/example/")) {
                            exampleConstants.put(name, constantPoolStrings(name, bytes));
                        }
                    }
                } else if (name.startsWith("META-INF/services/")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        serviceFiles.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        System.out.printf("  %,d entries, %,d classes (%,d under com/example/), %,d service files%n",
                entries.size(), majorVersions.size(), exampleConstants.size(), serviceFiles.size());
    }

    @Test
    void doesNotBundleFlinkItself() {
        List<String> flink = entries.stream()
                .filter(n -> n.endsWith(".class"))
                .filter(n -> n.startsWith("org/apache/flink/streaming/api/")
                        || n.startsWith("org/apache/flink/api/")
                        || n.startsWith("org/apache/flink/runtime/")
                        || n.startsWith("org/apache/flink/configuration/")
                        || n.startsWith("org/apache/flink/core/"))
                .limit(20)
                .collect(Collectors.toList());
        assertThat(flink).as("Flink's own classes (provided by MSF or the cluster) in the jar").isEmpty();
    }

    @Test
    void bundlesTheJobAndItsDependencies() {
        assertThat(entries).as("bundled classes").contains(
                "com/example/fraud/detector/FraudDetectorJob.class",
                "com/example/fraud/model/Transaction.class",
                "org/apache/flink/connector/kinesis/source/KinesisStreamsSource.class",
                "org/apache/flink/connector/kinesis/sink/KinesisStreamsSink.class",
                "org/apache/flink/connector/base/sink/AsyncSinkBase.class",
                "com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime.class",
                RELOCATED_JACKSON_CORE + "JsonFactory.class",
                // The shaded HTTP client of the Kinesis source logs through unshaded commons-logging.
                "org/apache/commons/logging/LogFactory.class");
    }

    @Test
    void mainClassIsTheJob() {
        assertThat(manifest).as("manifest").isNotNull();
        assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(MAIN_CLASS);
    }

    @Test
    void ourClassesAreJava11Bytecode() {
        Map<String, Integer> ours = majorVersions.entrySet().stream()
                .filter(e -> e.getKey().startsWith("com/example/") && !e.getKey().startsWith(RELOCATED))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertThat(ours).as("our classes").containsKey("com/example/fraud/detector/FraudDetectorJob.class");
        assertThat(first(ours, v -> v != JAVA_11)).as("com/example classes whose major version is not 55 (Java 11)")
                .isEmpty();
    }

    @Test
    void noBundledClassNeedsMoreThanJava11() {
        // Classes under META-INF/versions/N/ are only loaded by a Java N runtime from a multi-release jar.
        Map<String, Integer> tooNew = first(majorVersions.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("META-INF/versions/"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)),
                v -> v > JAVA_11);
        assertThat(tooNew).as("classes a Java 11 runtime cannot load").isEmpty();
    }

    @Test
    void hasNoSignatureFilesOrModuleDescriptors() {
        List<String> bad = entries.stream()
                .filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)") || n.endsWith("module-info.class"))
                .limit(20)
                .collect(Collectors.toList());
        assertThat(bad).as("signature files and module-info.class").isEmpty();
    }

    @Test
    void keepsTheConnectorsServiceEntries() {
        CONNECTOR_SERVICES.forEach((file, providers) -> {
            assertThat(serviceFiles).as("service files").containsKey(file);
            assertThat(providers(serviceFiles.get(file))).as(file).containsAll(providers);
        });
        // Every provider of every merged service file must be a class in the jar (or a relocation went wrong).
        serviceFiles.forEach((file, text) -> assertThat(providers(text))
                .as("providers listed in %s", file)
                .allSatisfy(p -> assertThat(entries).as("classes in the jar").contains(p.replace('.', '/') + ".class")));
    }

    @Test
    void relocatesJacksonCore() {
        List<String> unrelocated = entries.stream()
                .filter(n -> n.startsWith(JACKSON_CORE) || n.contains("/" + JACKSON_CORE)
                        && !n.contains("/shaded/"))
                .limit(20)
                .collect(Collectors.toList());
        assertThat(unrelocated).as("unrelocated jackson-core entries").isEmpty();
        assertThat(referencesTo(JACKSON_CORE)).as("com/example classes referencing unrelocated jackson-core").isEmpty();
    }

    @Test
    void bundlesNoUnshadedAwsSdk() {
        List<String> sdk = entries.stream()
                .filter(n -> n.startsWith(AWS_SDK) || n.startsWith("META-INF/versions/") && n.contains("/" + AWS_SDK))
                .limit(20)
                .collect(Collectors.toList());
        assertThat(sdk).as("unshaded AWS SDK v2 entries").isEmpty();
    }

    @Test
    void ourClassesDoNotReferenceTheUnshadedAwsSdk() {
        // Such a class fails with NoClassDefFoundError on a cluster: only the connector's shaded copy is there.
        assertThat(referencesTo(AWS_SDK)).as("com/example classes referencing unshaded software/amazon/awssdk types")
                .isEmpty();
    }

    @Test
    void bundlesNoLoggingBinding() {
        List<String> logging = entries.stream()
                .filter(n -> n.startsWith("org/slf4j/")
                        || n.startsWith("org/apache/logging/log4j/")
                        || n.startsWith("org/apache/log4j/")
                        || n.startsWith("ch/qos/logback/")
                        || n.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")
                        || n.matches("log4j2?(-test)?\\.(xml|properties|json|yaml|yml)|logback(-test)?\\.xml"))
                .limit(20)
                .collect(Collectors.toList());
        assertThat(logging).as("logging implementations, bindings or their configuration").isEmpty();
    }

    /** com/example classes and the constants naming {@code prefix} (slash or dot form) outside a shaded package. */
    private static Map<String, List<String>> referencesTo(String prefix) {
        String dotted = prefix.replace('/', '.');
        Map<String, List<String>> found = new TreeMap<>();
        exampleConstants.forEach((cls, constants) -> {
            List<String> hits = constants.stream()
                    .filter(c -> mentionsUnshaded(c, prefix) || mentionsUnshaded(c, dotted))
                    .collect(Collectors.toList());
            if (!hits.isEmpty()) {
                found.put(cls, hits);
            }
        });
        return found;
    }

    /** Whether {@code text} names {@code prefix} other than as part of a longer (relocated) package name. */
    static boolean mentionsUnshaded(String text, String prefix) {
        for (int i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 1)) {
            char before = i == 0 ? ' ' : text.charAt(i - 1);
            // "Lsoftware/..." (descriptor), "[Lsoftware/..." and "(software/..." start a name; ".../software/" does not.
            if (!Character.isLetterOrDigit(before) && before != '/' && before != '.' && before != '$' && before != '_'
                    || before == 'L' && (i == 1 || !Character.isLetterOrDigit(text.charAt(i - 2)))) {
                return true;
            }
        }
        return false;
    }

    /** At most 20 entries whose value matches, to keep failure messages readable. */
    private static Map<String, Integer> first(Map<String, Integer> map, java.util.function.IntPredicate bad) {
        return map.entrySet().stream()
                .filter(e -> bad.test(e.getValue()))
                .limit(20)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static List<String> providers(String serviceFile) {
        return Arrays.stream(serviceFile.split("\\R"))
                .map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
    }

    private static int majorVersion(String name, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (bytes.length < 8 || in.readInt() != 0xCAFEBABE) {
            throw new IOException(name + " is not a class file");
        }
        in.readUnsignedShort(); // minor
        return in.readUnsignedShort();
    }

    /** The CONSTANT_Utf8 entries of a class file: class names, descriptors, signatures and string literals. */
    static List<String> constantPoolStrings(String name, byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException(name + " is not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8
                    strings.add(in.readUTF());
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    in.skipBytes(2);
                    break;
                case 15: // MethodHandle
                    in.skipBytes(3);
                    break;
                case 3: // Integer
                case 4: // Float
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                case 17: // Dynamic
                case 18: // InvokeDynamic
                    in.skipBytes(4);
                    break;
                case 5: // Long
                case 6: // Double: two slots
                    in.skipBytes(8);
                    i++;
                    break;
                default:
                    throw new IOException(name + ": unknown constant pool tag " + tag + " at index " + i);
            }
        }
        return Collections.unmodifiableList(strings);
    }
}

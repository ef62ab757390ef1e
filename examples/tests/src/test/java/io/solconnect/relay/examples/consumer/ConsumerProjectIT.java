package io.solconnect.relay.examples.consumer;

import io.solconnect.relay.examples.server.RelayServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The published artifacts work from an application outside the reactor. After {@code package},
 * the reactor's jars (with their sources and javadoc jars) and POMs, the parent's and
 * {@code relay-bom} are installed into a throwaway local repository
 * ({@code target/consumer-it/local-repo}, in the repository layout); a copy of
 * {@code examples/consumer} is built against it by a nested Maven (offline when this build is;
 * third-party artifacts come from this build's local repository, read as a {@code file://}
 * repository, so nothing of ours reaches it); and the consumer sends and receives one message
 * through the bundled relay server on loopback three ways: module path, class path, shaded jar.
 * Also checks that the BOM lists every library module of the reactor.
 */
class ConsumerProjectIT {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern BOM_ENTRY = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    private static Path root;
    private static String version;
    private static Path work;
    private static Path project;

    @BeforeAll
    static void buildConsumer() throws Exception {
        root = Path.of(property("relay.root")).toAbsolutePath().normalize();
        version = property("relay.version");
        work = Path.of(property("relay.consumer.work")).toAbsolutePath();
        deleteTree(work);
        Path repo = work.resolve("local-repo");
        installReactorArtifacts(repo);

        project = work.resolve("project");
        copyProject(root.resolve("examples/consumer"), project);
        Path mainRepo = Path.of(property("relay.main.repo")).toAbsolutePath();
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles><profile>
                    <id>main-local-repo</id>
                    <activation><activeByDefault>true</activeByDefault></activation>
                    <repositories><repository><id>main-local-repo</id><url>%s</url></repository></repositories>
                    <pluginRepositories><pluginRepository><id>main-local-repo</id><url>%s</url></pluginRepository></pluginRepositories>
                  </profile></profiles>
                </settings>
                """.formatted(repo, mainRepo.toUri(), mainRepo.toUri()));
        List<String> mvn = new ArrayList<>(List.of(Path.of(property("maven.home"), "bin", "mvn").toString(), "-B",
                "-s", settings.toString(), "-Drelay.version=" + version, "-Daether.offline.protocols=file",
                "-DskipTests", "-f", project.resolve("pom.xml").toString(), "package"));
        if (System.getProperty("relay.offline", "offline=true").equals("offline=true")) {
            mvn.add(1, "-o");
        }
        Run build = run(mvn, 600);
        assertEquals(0, build.code(), () -> "the consumer project did not build:\n" + build.tail());
    }

    /**
     * Installs what a user's build would download: the parent POM, the BOM, and each module the
     * BOM lists (POM, jar, sources and javadoc jars when built).
     */
    private static void installReactorArtifacts(Path repo) throws IOException {
        String rootPom = Files.readString(root.resolve("pom.xml"));
        Map<String, Path> modules = new LinkedHashMap<>(); // artifactId -> module directory
        List<String> unpublished = new ArrayList<>(); // modules that say so (the launcher, the fuzz tests)
        Matcher m = MODULE.matcher(rootPom);
        while (m.find()) {
            Path dir = root.resolve(m.group(1));
            String pom = Files.readString(dir.resolve("pom.xml"));
            modules.put(artifactId(pom), dir);
            if (pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
                unpublished.add(artifactId(pom));
            }
        }
        Path bomDir = modules.get("relay-bom");
        assertTrue(bomDir != null, "no relay-bom module in " + modules.keySet());
        String bomPom = Files.readString(bomDir.resolve("pom.xml"));
        List<String> listed = new ArrayList<>();
        Matcher e = BOM_ENTRY.matcher(bomPom.substring(bomPom.indexOf("<dependencyManagement>"),
                bomPom.indexOf("</dependencyManagement>")));
        while (e.find()) {
            listed.add(e.group(1));
        }
        for (String artifact : modules.keySet()) {
            if (!artifact.equals("relay-bom") && !unpublished.contains(artifact)) {
                assertTrue(listed.contains(artifact), "relay-bom does not list the library module " + artifact);
            }
        }
        install(repo, "relay-parent", root.resolve("pom.xml"), List.of());
        install(repo, "relay-bom", bomDir.resolve("pom.xml"), List.of());
        for (String artifact : listed) {
            Path dir = modules.get(artifact);
            assertTrue(dir != null, "relay-bom lists " + artifact + ", which is no module of the reactor");
            Path jar = dir.resolve("target").resolve(artifact + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), "no " + jar + ": build the reactor (mvn -B verify) first");
            List<Path> files = new ArrayList<>(List.of(jar));
            for (String classifier : List.of("sources", "javadoc")) {
                Path extra = dir.resolve("target").resolve(artifact + "-" + version + "-" + classifier + ".jar");
                if (Files.isRegularFile(extra)) {
                    files.add(extra);
                }
            }
            install(repo, artifact, dir.resolve("pom.xml"), files);
        }
    }

    private static void install(Path repo, String artifact, Path pom, List<Path> files) throws IOException {
        Path dir = repo.resolve("io/solconnect").resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        for (Path f : files) {
            Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String artifactId(String pom) {
        int afterParent = pom.indexOf("</parent>");
        Matcher m = BOM_ENTRY.matcher(pom.substring(Math.max(0, afterParent)));
        if (!m.find()) {
            throw new IllegalStateException("no artifactId in a module POM");
        }
        return m.group(1);
    }

    @Test
    void sendsAndReceivesOnTheModulePath() throws Exception {
        String lib = project.resolve("target/lib").toString();
        String jar = project.resolve("target/relay-consumer-1.0.jar").toString();
        roundTrip("module-path", "module com.example.consumer",
                "--module-path", jar + java.io.File.pathSeparator + lib, "-m", "com.example.consumer/com.example.consumer.ConsumerApp");
    }

    @Test
    void sendsAndReceivesOnTheClassPath() throws Exception {
        String lib = project.resolve("target/lib").toString();
        String jar = project.resolve("target/relay-consumer-1.0.jar").toString();
        roundTrip("class-path", "class path",
                "-cp", jar + java.io.File.pathSeparator + lib + java.io.File.separator + "*", "com.example.consumer.ConsumerApp");
    }

    @Test
    void sendsAndReceivesFromOneShadedJar() throws Exception {
        roundTrip("shaded", "class path", "-jar", project.resolve("target/relay-consumer-1.0-shaded.jar").toString());
    }

    private static void roundTrip(String label, String where, String... javaArgs) throws Exception {
        try (RelayServer relay = RelayServer.start()) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of(javaArgs));
            cmd.add(relay.uri().toString());
            cmd.add(label);
            Run r = run(cmd, 120);
            assertEquals(0, r.code(), () -> label + " run failed:\n" + r.tail());
            assertTrue(r.output().contains("consumer " + label + " received hello from the " + label + " consumer (" + where + ")"),
                    () -> label + " run printed:\n" + r.tail());
        }
    }

    private record Run(int code, String output) {
        String tail() {
            return output.length() <= 8000 ? output : "..." + output.substring(output.length() - 8000);
        }
    }

    private static Run run(List<String> cmd, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "run", ".log");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", cmd) + " did not end within " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(f);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (the failsafe configuration sets it)");
        }
        return v;
    }
}

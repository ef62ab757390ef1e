package io.solconnect.relay.examples.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayConfigs;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.ui.web.StatusServer;
import io.solconnect.relay.ui.web.StatusServerOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status and settings pages in real headless Chromium, served by a real {@link StatusServer}
 * in front of a real {@link RelayManager} (Tyrus transport, {@code file} store in a temporary
 * directory) connected over loopback to real example {@link RelayServer}s. Faults are real: a
 * killed relay drops its TCP connections. Runs on the class path (see the module's pom);
 * screenshots go to {@code target/screenshots/}.
 */
class RealRelaysStatusPageBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Path profile;
    private static WebDriver driver;

    private final List<RelayServer> relays = new ArrayList<>();
    private Path storeDir;
    private Schedulers.CloseableScheduler scheduler;
    private RelayManager manager;
    private StatusServer server;

    @BeforeAll
    static void browser() throws IOException {
        for (String binary : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing: the browser tests need Debian's chromium and"
                        + " chromium-driver; ./relay-test installs them (or: apt-get install chromium chromium-driver)");
            }
        }
        profile = Files.createTempDirectory("relay-examples-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1440,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        deleteTree(profile);
    }

    @BeforeEach
    void storeDirectory() throws IOException {
        storeDir = Files.createTempDirectory("relay-examples-store");
        scheduler = Schedulers.system();
        driver.manage().logs().get(LogType.BROWSER); // forget what earlier tests logged
    }

    @AfterEach
    void stopEverything() throws IOException {
        driver.get("about:blank"); // the page would keep reconnecting to the closed server
        if (server != null) {
            server.close();
        }
        if (manager != null) {
            manager.stop();
        }
        scheduler.close();
        relays.forEach(RelayServer::close);
        deleteTree(storeDir);
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private RelayServer relay() throws IOException {
        RelayServer relay = RelayServer.start();
        relays.add(relay);
        return relay;
    }

    private static String id(RelayServer relay) {
        return RelayEndpoint.of(relay.uri().toString()).id();
    }

    /** Starts the manager on the given relays (first preferred) and the status server in front of it. */
    private void startClient(int standbyCount, RelayEndpoint... endpoints) {
        RelayConfig config = RelayConfig.custom()
                .relays(List.of(endpoints))
                // relays added on the settings page pass the address rules: loopback needs this
                .allowPrivateAddresses(true)
                .standbyCount(standbyCount)
                .store(ProviderChoice.of("file", Map.of("directory", storeDir.toString(), "fsync", "false")))
                .build();
        manager = RelayManager.create(config, ProviderRegistry.load(), scheduler).orElseThrow();
        assertTrue(manager.start().isOk(), "the manager starts");
        server = StatusServer.start(manager, StatusServerOptions.ofDefaults()).orElseThrow();
    }

    private static RelayEndpoint endpoint(RelayServer relay, String region, int priority) {
        return RelayEndpoint.builder(relay.uri().toString()).region(region).priority(priority).build();
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    private WebElement waitFor(String css) {
        return waitUpTo(10).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static String relayRow(String tbody, String id) {
        return "#" + tbody + " tr[data-relay-id='" + id + "']";
    }

    private static String field(WebElement row, String name) {
        return row.findElement(By.cssSelector("td[data-field='" + name + "']")).getText();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static List<String> severeConsoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Waits until the engine reports a connected primary and the wanted number of standbys. */
    private ClientStatus settled(int standbys) {
        return waitUpTo(10).until(d -> {
            ClientStatus s = manager.status();
            return s.state() == SessionState.CONNECTED && s.primary().isPresent() && s.standby().size() == standbys
                    ? s : null;
        });
    }

    @Test
    void statusPageShowsTheRealRelaysAndFollowsARealFailoverLive() throws Exception {
        RelayServer a = relay();
        RelayServer b = relay();
        RelayServer c = relay();
        startClient(1, endpoint(a, "eu-west", 0), endpoint(b, "us-east", 1), endpoint(c, "ap-south", 2));
        ClientStatus before = settled(1);
        String primary = before.primary().orElseThrow();
        String standby = before.standby().get(0);
        String spare = Stream.of(id(a), id(b), id(c)).filter(r -> !r.equals(primary) && !r.equals(standby))
                .findFirst().orElseThrow();
        // real traffic, acknowledged by the real relay
        List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(manager.send("ui-test", "message " + i).toCompletableFuture());
        }
        for (CompletableFuture<Result<Delivery>> send : sends) {
            assertTrue(send.get(10, TimeUnit.SECONDS).isOk(), "acknowledged");
        }
        // a few health checks of history, so that the sparklines and the chart have a line
        waitUpTo(15).until(d -> manager.status().relays().stream()
                .filter(r -> r.endpoint().id().equals(standby)).allMatch(r -> r.rttHistory().size() >= 5));

        driver.get(server.pageUrl().toString());
        waitFor("#conn-status[data-live='true']");
        WebElement primaryRow = waitFor(relayRow("relay-rows", primary) + "[data-role='PRIMARY'][data-connected='true']");
        waitFor(relayRow("relay-rows", standby) + "[data-role='STANDBY'][data-connected='true']");
        waitFor("#session-state[data-state='CONNECTED']");
        assertEquals(primary, driver.findElement(By.id("primary-relay")).getAttribute("data-relay-id"));
        assertEquals("connected", field(primaryRow, "state"));
        assertEquals(3, driver.findElements(By.cssSelector("#relay-rows tr[data-relay-id]")).size());
        Map<String, String> regions = Map.of(id(a), "eu-west", id(b), "us-east", id(c), "ap-south");
        assertEquals(regions.get(primary), field(primaryRow, "region"));
        // a measured round trip and its sparkline, from the real pings
        waitUpTo(10).until(d -> field(d.findElement(By.cssSelector(relayRow("relay-rows", primary))), "rtt")
                .matches("\\d+(\\.\\d+)? (ms|µs)"));
        waitFor(relayRow("relay-rows", primary) + " td[data-field='sparkline'] canvas");
        js("window.loadedOnce = 'yes';");
        screenshot("real-status");

        RelayServer primaryServer = relays.stream().filter(r -> id(r).equals(primary)).findFirst().orElseThrow();
        primaryServer.kill();

        waitUpTo(5).until(d -> standby.equals(d.findElement(By.id("primary-relay")).getAttribute("data-relay-id")));
        WebElement failover = waitUpTo(5).until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector(
                    "#failover-rows tr[data-from='" + primary + "'][data-to='" + standby + "']"));
            return rows.isEmpty() ? null : rows.get(0);
        });
        assertFalse(field(failover, "reason").isBlank(), "the failover says why");
        assertTrue(field(failover, "duration").matches("\\d+(\\.\\d+)? (ms|µs|s)"), field(failover, "duration"));
        waitFor(relayRow("relay-rows", standby) + "[data-role='PRIMARY'][data-connected='true']");
        waitFor(relayRow("relay-rows", primary) + "[data-connected='false']");
        // the engine opens a new warm standby on the spare relay
        waitFor(relayRow("relay-rows", spare) + "[data-role='STANDBY'][data-connected='true']");
        waitFor("#failover-count[data-count='1']");
        waitFor("#event-log li[data-type='Failover']");
        waitFor("#session-state[data-state='CONNECTED']");
        assertEquals("yes", js("return window.loadedOnce;"), "the page was not reloaded");
        // what the page shows is what the engine says
        assertEquals(standby, manager.status().primary().orElseThrow());
        screenshot("real-status-after-failover");
        assertEquals(List.of(), severeConsoleMessages(), "no console errors (e.g. CSP violations)");
    }

    @Test
    void aRelayAddedInSettingsAppearsConnectsAndIsSaved() throws IOException {
        RelayServer a = relay();
        RelayServer b = relay();
        startClient(1, endpoint(a, "eu-west", 0), endpoint(b, "us-east", 1));
        settled(1);
        RelayServer fresh = relay();
        String added = id(fresh);
        assertEquals(0, fresh.sessions());

        driver.get(server.pageUrl().toString());
        waitFor(relayRow("relay-rows", id(a)));
        driver.findElement(By.id("nav-settings")).click();
        waitFor(relayRow("relay-list-rows", id(b)));
        waitUpTo(5).until(d -> d.findElement(By.id("add-relay-submit")).isEnabled());
        driver.findElement(By.id("add-url")).sendKeys(fresh.uri().toString());
        driver.findElement(By.id("add-region")).sendKeys("ap-south");
        driver.findElement(By.id("add-priority")).clear();
        driver.findElement(By.id("add-priority")).sendKeys("2");
        driver.findElement(By.id("add-relay-submit")).click();

        WebElement listed = waitFor(relayRow("relay-list-rows", added));
        waitFor("#form-message[data-kind='ok']");
        assertEquals("ap-south", field(listed, "region"));
        assertEquals("2", field(listed, "priority"));
        screenshot("real-settings");

        // applied to the running manager and saved through the file store
        RelayEndpoint running = manager.config().relays().stream().filter(r -> r.id().equals(added)).findFirst()
                .orElseThrow();
        assertEquals("ap-south", running.region());
        assertEquals(2, running.priority());
        RelayConfig saved = RelayConfigs.load(storeDir.resolve("config.json")).orElseThrow();
        assertEquals(List.of(id(a), id(b), added), saved.relays().stream().map(RelayEndpoint::id).toList());
        assertEquals("ap-south", saved.relays().get(2).region());

        // a second warm standby, set in the same page, applies to the running manager too
        WebElement standbys = driver.findElement(By.id("standby-count"));
        standbys.clear();
        standbys.sendKeys("2");
        driver.findElement(By.id("settings-submit")).click();
        waitUpTo(5).until(d -> d.findElement(By.id("form-message")).getText().equals("Settings applied."));
        assertEquals(2, manager.config().failover().standbyCount());
        assertEquals(2, RelayConfigs.load(storeDir.resolve("config.json")).orElseThrow().failover().standbyCount());

        // and the added relay really connects: it becomes that standby, with a session on the fresh relay
        driver.findElement(By.id("nav-status")).click();
        WebElement row = waitFor(relayRow("relay-rows", added) + "[data-role='STANDBY'][data-connected='true']");
        assertEquals("ap-south", field(row, "region"));
        assertEquals("connected", field(row, "state"));
        waitUpTo(5).until(d -> fresh.sessions() >= 1);
        settled(2);
        screenshot("real-status-added-relay");
        assertEquals(List.of(), severeConsoleMessages());
    }

    @Test
    void invalidInputShowsTheValidationMessageAndChangesNothing() throws IOException {
        RelayServer a = relay();
        RelayServer b = relay();
        startClient(1, endpoint(a, "eu-west", 0), endpoint(b, "us-east", 1));
        settled(1);
        RelayConfig before = manager.config();

        driver.get(server.url() + "settings#token=" + server.token());
        waitFor(relayRow("relay-list-rows", id(a)));
        waitUpTo(5).until(d -> d.findElement(By.id("add-relay-submit")).isEnabled());
        driver.findElement(By.id("add-url")).sendKeys("http://relay.example.org/ws");
        driver.findElement(By.id("add-relay-submit")).click();

        WebElement message = waitFor("#form-message[data-kind='error']");
        assertEquals("$.relays[2].url is not a valid relay URL: url scheme must be ws or wss, was 'http' in "
                + "'http://relay.example.org/ws'", message.getText());
        screenshot("real-settings-invalid-url");
        assertEquals(before, manager.config());
        assertFalse(Files.exists(storeDir.resolve("config.json")), "nothing was saved");
        assertEquals(2, driver.findElements(By.cssSelector("#relay-list-rows tr[data-relay-id]")).size());

        WebElement threshold = driver.findElement(By.id("failover-threshold"));
        threshold.clear();
        threshold.sendKeys("1.5");
        driver.findElement(By.id("settings-submit")).click();
        waitUpTo(5).until(d -> d.findElement(By.id("form-message")).getText()
                .equals("$.selection.failoverThreshold must be in [0, 1], was 1.5"));

        assertEquals(before, manager.config());
        assertFalse(Files.exists(storeDir.resolve("config.json")), "nothing was saved");
    }
}

package io.solconnect.relay.ui.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayEndpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
 * The pages in real headless Chromium against a real status server; the relay client behind the
 * server is the scripted {@link FakeRelayClient}. Runs on the class path (see the module's pom).
 * Screenshots go to {@code target/screenshots/}.
 */
class StatusPageBrowserTest {

    private static final String A = "ws://127.0.0.1:7001/";
    private static final String B = "ws://127.0.0.1:7002/";
    private static final String C = "ws://127.0.0.1:7003/";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Path profile;
    private static WebDriver driver;

    private FakeRelayClient client;
    private StatusServer server;

    @BeforeAll
    static void browser() throws IOException {
        profile = Files.createTempDirectory("relay-ui-chromium");
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
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void start() {
        client = new FakeRelayClient(A, B);
        server = StatusServer.start(client, StatusServerOptions.ofDefaults()).orElseThrow();
        driver.manage().logs().get(LogType.BROWSER); // forget what earlier tests logged
    }

    @AfterEach
    void stop() {
        server.close();
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

    @Test
    void statusPageShowsRelaysAndFollowsAFailoverLive() throws IOException {
        driver.get(server.pageUrl().toString());

        WebElement primary = waitFor(relayRow("relay-rows", A) + "[data-role='PRIMARY']");
        waitFor(relayRow("relay-rows", B) + "[data-role='STANDBY']");
        waitFor("#conn-status[data-live='true']");
        waitFor(relayRow("relay-rows", A) + " td[data-field='sparkline'] canvas");
        assertEquals("eu-west", primary.findElement(By.cssSelector("td[data-field='region']")).getText());
        assertEquals("10.0 ms", primary.findElement(By.cssSelector("td[data-field='rtt']")).getText());
        assertEquals("connected", primary.findElement(By.cssSelector("td[data-field='state']")).getText());
        assertEquals("42m 00s", primary.findElement(By.cssSelector("td[data-field='uptime']")).getText());
        assertEquals("CONNECTED", driver.findElement(By.id("session-state")).getAttribute("data-state"));
        assertEquals(A, driver.findElement(By.id("primary-relay")).getAttribute("data-relay-id"));
        assertEquals("3", driver.findElement(By.id("outbox-depth")).getAttribute("data-depth"));
        assertFalse(driver.getCurrentUrl().contains("token"), "the token is taken out of the address bar");
        js("window.loadedOnce = 'yes';");
        screenshot("status");

        client.failover(B, "primary closed the connection (1006)");
        client.eject(A, java.time.Instant.now().plusSeconds(30), "3 failed connects");

        waitUpTo(5).until(d -> B.equals(d.findElement(By.id("primary-relay")).getAttribute("data-relay-id")));
        WebElement failover = waitFor("#failover-rows tr[data-to='" + B + "'][data-from='" + A + "']");
        assertEquals("primary closed the connection (1006)",
                failover.findElement(By.cssSelector("td[data-field='reason']")).getText());
        assertEquals("37.0 ms", failover.findElement(By.cssSelector("td[data-field='duration']")).getText());
        assertEquals("4", failover.findElement(By.cssSelector("td[data-field='replayed']")).getText());
        assertEquals("37.0 ms", driver.findElement(By.id("failover-median")).getText());
        waitFor(relayRow("relay-rows", B) + "[data-role='PRIMARY']");
        WebElement ejected = waitFor(relayRow("relay-rows", A) + "[data-role='EJECTED']");
        assertEquals("ejected", ejected.findElement(By.cssSelector("td[data-field='state']")).getText());
        String until = ejected.findElement(By.cssSelector("td[data-field='ejected']")).getText();
        assertTrue(until.matches("\\d\\d:\\d\\d:\\d\\d"), until);
        waitFor("#event-log li[data-type='Failover']");
        waitFor("#event-log li[data-type='Ejected']");
        assertEquals("yes", js("return window.loadedOnce;"), "the page was not reloaded");
        screenshot("status-after-failover");
        assertEquals(List.of(), severeConsoleMessages(), "no console errors (e.g. CSP violations)");
    }

    @Test
    void addingARelayInSettingsReconfiguresAndTheRelayAppears() throws IOException {
        String region = "<script>window.injected=1</script>";
        driver.get(server.pageUrl().toString());
        waitFor(relayRow("relay-rows", A));
        driver.findElement(By.id("nav-settings")).click();
        waitFor(relayRow("relay-list-rows", B));
        assertFalse(driver.findElement(By.id("token-missing")).isDisplayed());
        waitUpTo(5).until(d -> d.findElement(By.id("add-relay-submit")).isEnabled());

        driver.findElement(By.id("add-url")).sendKeys(C);
        driver.findElement(By.id("add-region")).sendKeys(region);
        driver.findElement(By.id("add-priority")).clear();
        driver.findElement(By.id("add-priority")).sendKeys("5");
        driver.findElement(By.id("add-relay-submit")).click();

        WebElement row = waitFor(relayRow("relay-list-rows", C));
        waitFor("#form-message[data-kind='ok']");
        assertEquals(1, client.reconfigureCalls());
        RelayEndpoint added = client.config().relays().get(2);
        assertEquals(C, added.id());
        assertEquals(region, added.region());
        assertEquals(5, added.priority());
        assertEquals(region, row.findElement(By.cssSelector("td[data-field='region']")).getText());
        assertEquals("5", row.findElement(By.cssSelector("td[data-field='priority']")).getText());
        screenshot("settings");

        driver.findElement(By.id("nav-status")).click();
        WebElement statusRow = waitFor(relayRow("relay-rows", C));
        assertEquals(region, statusRow.findElement(By.cssSelector("td[data-field='region']")).getText());
        assertEquals(0L, js("return document.querySelectorAll('#relay-rows script, #relay-list-rows script').length;"));
        assertNull(js("return window.injected;"), "relay text is shown, never run");
        assertEquals(List.of(), severeConsoleMessages());
    }

    @Test
    void invalidInputShowsTheConfigsValidationMessage() throws IOException {
        driver.get(server.url() + "settings#token=" + server.token());
        waitFor(relayRow("relay-list-rows", A));
        waitUpTo(5).until(d -> d.findElement(By.id("add-relay-submit")).isEnabled());

        driver.findElement(By.id("add-url")).sendKeys("http://relay.example.org/ws");
        driver.findElement(By.id("add-relay-submit")).click();

        WebElement message = waitFor("#form-message[data-kind='error']");
        assertEquals("$.relays[2].url is not a valid relay URL: url scheme must be ws or wss, was 'http' in "
                + "'http://relay.example.org/ws'", message.getText());
        screenshot("settings-invalid-url");

        WebElement threshold = driver.findElement(By.id("failover-threshold"));
        threshold.clear();
        threshold.sendKeys("1.5");
        driver.findElement(By.id("settings-submit")).click();
        waitUpTo(5).until(d -> d.findElement(By.id("form-message")).getText()
                .equals("$.selection.failoverThreshold must be in [0, 1], was 1.5"));
        assertEquals(0, client.reconfigureCalls());
        assertEquals(2, client.config().relays().size());
    }

    @Test
    void settingsFormAppliesStrategyAndTimings() {
        driver.get(server.url() + "settings#token=" + server.token());
        waitFor(relayRow("relay-list-rows", A));
        waitUpTo(5).until(d -> d.findElement(By.id("settings-submit")).isEnabled());
        assertEquals("150", driver.findElement(By.id("ping-interval")).getAttribute("value"));

        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("strategy-algorithm")))
                .selectByValue("round-robin");
        WebElement ping = driver.findElement(By.id("ping-interval"));
        ping.clear();
        ping.sendKeys("250");
        driver.findElement(By.id("settings-submit")).click();

        waitFor("#form-message[data-kind='ok']");
        assertEquals("round-robin", client.config().selection().strategy().algorithm());
        assertEquals(Duration.ofMillis(250), client.config().liveness().pingInterval());

        driver.findElement(By.cssSelector(relayRow("relay-list-rows", B) + " button[data-action='remove']")).click();
        waitUpTo(5).until(d -> d.findElements(By.cssSelector(relayRow("relay-list-rows", B))).isEmpty());
        assertEquals(List.of(A), client.config().relays().stream().map(RelayEndpoint::id).toList());
    }

    @Test
    void withoutTheTokenSettingsAreShownButLocked() {
        driver.get(server.url() + "settings");
        js("sessionStorage.clear();");
        driver.navigate().refresh();
        waitFor(relayRow("relay-list-rows", A));
        assertTrue(driver.findElement(By.id("token-missing")).isDisplayed());
        assertFalse(driver.findElement(By.id("add-relay-submit")).isEnabled());
    }

    @Test
    void offlineClientWithoutHistoryRendersCleanly() throws IOException {
        client.offline();
        driver.get(server.pageUrl().toString());

        waitFor("#session-state[data-state='OFFLINE']");
        WebElement row = waitFor(relayRow("relay-rows", A) + "[data-role='CANDIDATE'][data-connected='false']");
        assertEquals("—", row.findElement(By.cssSelector("td[data-field='rtt']")).getText());
        assertEquals("—", row.findElement(By.cssSelector("td[data-field='errors']")).getText());
        assertEquals("—", driver.findElement(By.id("primary-relay")).getText());
        assertEquals("offline", driver.findElement(By.id("session-state")).getText());
        assertTrue(driver.findElement(By.id("no-failovers")).isDisplayed());
        screenshot("status-offline");
        assertEquals(List.of(), severeConsoleMessages());
    }

    @Test
    void pageReconnectsWhenTheStreamDrops() {
        driver.get(server.pageUrl().toString());
        waitFor("#conn-status[data-live='true']");
        int port = server.url().getPort();

        server.close();
        waitUpTo(10).until(d -> "false".equals(d.findElement(By.id("conn-status")).getAttribute("data-live")));
        client.failover(B, "restart");
        server = StatusServer.start(client, StatusServerOptions.builder().port(port).build()).orElseThrow();

        waitUpTo(15).until(d -> B.equals(d.findElement(By.id("primary-relay")).getAttribute("data-relay-id")));
        waitFor("#conn-status[data-live='true']");
    }
}

package chat.server.transport.web;

import chat.server.ChatServer;
import chat.server.transport.LocalConfig;
import chat.server.transport.LineSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat page in a real browser: headless Chromium from Debian's {@code chromium} and
 * {@code chromium-driver} packages, driven by Selenium with the driver and browser paths given, so
 * Selenium Manager never looks for (or downloads) anything. Two browsers and one nc-style TCP client
 * chat in one room over loopback. Every wait polls with a deadline.
 */
class WebBrowserIT {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path profiles;
    static ChatServer server;
    static int webPort;
    private final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        server = startServer(0);
        webPort = server.webAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(ChromeDriver::quit);
    }

    @Test
    void twoBrowsersAndAnNcUserChatShowingEveryLineAsTextAndThePageReconnects() throws Exception {
        try (LineSocket cat = LineSocket.connect(tcp()).join("cat")) {
            ChromeDriver ann = browser("ann");
            join(ann, "ann");
            cat.expect("ann has arrived");
            ChromeDriver bob = browser("bob");
            join(bob, "bob");
            awaitLine(ann, "bob has arrived");
            cat.expect("bob has arrived");

            type(ann, "hello from a browser");
            awaitLine(bob, "ann: hello from a browser");
            cat.expect("ann: hello from a browser");
            cat.send("hello from nc");
            awaitLine(ann, "cat: hello from nc");
            awaitLine(bob, "cat: hello from nc");

            // Every line is text: markup from another user is shown, never run.
            cat.send("<img src=x onerror=alert(1)>");
            for (ChromeDriver b : List.of(ann, bob)) {
                awaitLine(b, "cat: <img src=x onerror=alert(1)>");
                assertThat(b.findElements(By.cssSelector("#lines img"))).isEmpty();
                assertThatThrownBy(() -> b.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
            }

            // Private lines and errors are styled apart; the panel knows who is here.
            cat.send("/msg ann psst");
            assertThat(awaitLine(ann, "cat (private): psst").getAttribute("class")).contains("private");
            type(ann, "/nope");
            assertThat(awaitLine(ann, "Error: unknown command /nope; try /help").getAttribute("class"))
                    .contains("error");
            await(ann, () -> texts(ann, "#who li").containsAll(List.of("ann (you)", "bob", "cat")));
            await(ann, () -> texts(ann, "#rooms button").contains("#lobby (3)"));

            // The panel's own /who and /rooms are answered quietly: their replies stay out of the conversation.
            type(ann, "one more line"); // the user is active, so arrivals refresh the panel
            cat.skipTo("ann: one more line");
            try (LineSocket dog = LineSocket.connect(tcp()).join("dog")) {
                awaitLine(ann, "dog has arrived");
                await(ann, () -> texts(ann, "#who li").contains("dog"));
                type(ann, "/who");
                awaitLine(ann, "Here now (4): ann, bob, cat, dog");
                assertThat(lines(ann).stream().filter(l -> l.startsWith("Here now"))).hasSize(1);
                assertThat(lines(ann)).noneMatch(l -> l.startsWith("Rooms (") || l.contains("unknown command /rooms"));
            }

            // Up recalls the lines sent before.
            WebElement input = ann.findElement(By.id("input"));
            input.sendKeys(Keys.ARROW_UP);
            assertThat(input.getDomProperty("value")).isEqualTo("/who");
            input.sendKeys(Keys.ARROW_UP);
            assertThat(input.getDomProperty("value")).isEqualTo("one more line");
            input.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
            assertThat(input.getDomProperty("value")).isEmpty();

            assertThat(severeConsoleMessages(ann)).isEmpty(); // nothing blocked by the policy, no script error
            screenshot(ann, "web-page.png");
            ann.manage().window().setSize(new Dimension(390, 780));
            screenshot(ann, "web-page-phone.png");

            // The conversation follows new lines, until the user scrolls up to read.
            for (int i = 1; i <= 30; i++) {
                cat.send("line " + i);
            }
            awaitLine(ann, "cat: line 30");
            assertThat(script(ann, "const l = document.getElementById('log');"
                    + " return l.scrollHeight > l.clientHeight && l.scrollHeight - l.scrollTop - l.clientHeight < 40;"))
                    .isEqualTo(true);
            script(ann, "document.getElementById('log').scrollTop = 0;");
            cat.send("while reading");
            awaitLine(ann, "cat: while reading");
            assertThat(script(ann, "return document.getElementById('log').scrollTop;")).isEqualTo(0L);
            assertThat(ann.findElement(By.id("jump")).isDisplayed()).isTrue();
            ann.findElement(By.id("jump")).click();
            await(ann, () -> !ann.findElement(By.id("jump")).isDisplayed());
        }

        // The server goes away and comes back on the same port: the page reconnects and gives its name again.
        server.close();
        ChromeDriver ann = browsers.get(0);
        awaitLine(ann, "Disconnected: server shutting down");
        await(ann, () -> !"connected".equals(ann.findElement(By.id("status")).getDomAttribute("data-state")));
        server = startServer(webPort);
        await(ann, () -> lines(ann).stream().filter(l -> l.equals("You are ann")).count() == 2);
        assertThat(ann.findElement(By.id("status")).getDomAttribute("data-state")).isEqualTo("connected");
        try (LineSocket eve = LineSocket.connect(tcp()).join("eve")) {
            type(ann, "back again");
            eve.skipTo("ann: back again");
        }
    }

    @Test
    void aBrowserMovesToASecondRoomByClickingIt() throws Exception {
        try (LineSocket cat = LineSocket.connect(tcp()).join("cat")) {
            cat.send("/join #dev");
            cat.expect("You are in #dev");
            cat.expect("Also here: nobody");

            ChromeDriver ann = browser("ann");
            join(ann, "ann");
            ChromeDriver bob = browser("bob");
            join(bob, "bob");
            awaitLine(ann, "bob has arrived");
            type(ann, "going to dev");
            // The room list comes from /rooms; a click joins.
            await(ann, () -> texts(ann, "#rooms button").contains("#dev (1)"));
            clickWhenSteady(ann, By.cssSelector("#rooms button[data-room='#dev']"));
            awaitLine(ann, "You are in #dev");
            awaitLine(ann, "Also here: cat");
            cat.expect("ann has arrived");
            awaitLine(bob, "ann has left");
            await(ann, () -> texts(ann, "#who li").containsAll(List.of("ann (you)", "cat")));

            type(ann, "only for dev");
            cat.expect("ann: only for dev");
            type(bob, "only for the lobby");
            awaitLine(bob, "bob: only for the lobby");
            assertThat(lines(bob)).doesNotContain("ann: only for dev");
            assertThat(lines(ann)).doesNotContain("bob: only for the lobby");
        }
    }

    private static ChatServer startServer(int port) throws InterruptedException {
        return ChatServer.start(LocalConfig.withWeb(LocalConfig.local(), WebOptions.of(port, null)));
    }

    private static InetSocketAddress tcp() {
        return new InetSocketAddress("127.0.0.1", server.address().getPort());
    }

    private ChromeDriver browser(String profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=1100,760",
                "--user-data-dir=" + profiles.resolve(profile + browsers.size()));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        driver.get("http://127.0.0.1:" + webPort + "/");
        return driver;
    }

    private static void join(ChromeDriver b, String name) {
        awaitLine(b, "Enter your name:");
        type(b, name);
        awaitLine(b, "You are " + name);
    }

    private static void type(ChromeDriver b, String line) {
        b.findElement(By.id("input")).sendKeys(line, Keys.ENTER);
    }

    /** Waits for a conversation line with exactly this text and returns its element. */
    private static WebElement awaitLine(ChromeDriver b, String text) {
        await(b, () -> lines(b).contains(text));
        return b.findElements(By.cssSelector("#lines li")).stream()
                .filter(e -> e.getText().equals(text)).reduce((first, second) -> second).orElseThrow();
    }

    /** Clicks what {@code where} finds, again if the panel was redrawn between finding and clicking. */
    private static void clickWhenSteady(ChromeDriver b, By where) {
        await(b, () -> {
            try {
                b.findElement(where).click();
                return true;
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }

    private static void await(ChromeDriver b, BooleanSupplier condition) {
        new WebDriverWait(b, WAIT, Duration.ofMillis(50)).until(d -> condition.getAsBoolean());
    }

    private static Object script(ChromeDriver b, String script) {
        return ((JavascriptExecutor) b).executeScript(script);
    }

    @SuppressWarnings("unchecked")
    private static List<String> lines(ChromeDriver b) {
        return (List<String>) ((JavascriptExecutor) b).executeScript(
                "return Array.from(document.querySelectorAll('#lines li'), li => li.textContent);");
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(ChromeDriver b, String selector) {
        return (List<String>) ((JavascriptExecutor) b).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent.trim());", selector);
    }

    private static List<String> severeConsoleMessages(ChromeDriver b) {
        return b.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    private static void screenshot(ChromeDriver b, String name) throws Exception {
        File shot = b.getScreenshotAs(OutputType.FILE);
        Path target = Paths.get("target").resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}

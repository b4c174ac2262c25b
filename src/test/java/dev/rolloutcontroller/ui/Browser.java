package dev.rolloutcontroller.ui;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

/**
 * Debian's chromium, headless, driven through its own chromedriver (never a downloaded one). Without
 * the binaries the browser tests are skipped, except where CI=true, where they are required.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final WebDriver driver;
    private final URL base;
    private final Path profile;

    private Browser(WebDriver driver, URL base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    static Browser open(URL base) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing (apt-get install chromium chromium-driver; required when CI=true)");
        }
        try {
            Path profile = Files.createTempDirectory("rc-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(driver, base, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void go(String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
    }

    /** Signs in and waits for the signed-in page, so the next navigation carries the session cookie. */
    void signIn(String token) {
        go("/ui/login");
        type("field-token", token);
        click("Sign in");
        waitFor(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("form.signed-in")).isEmpty());
    }

    WebElement button(String text) {
        return driver.findElements(By.tagName("button")).stream().filter(b -> b.getText().trim().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no button '" + text + "' on " + driver.getCurrentUrl()));
    }

    /*
     * The live part of a rollout page is replaced whenever the rollout changes, which can be between
     * finding an element and using it: these retry on a stale element.
     */

    void click(String buttonText) {
        retrying(() -> {
            button(buttonText).click();
            return true;
        });
    }

    void type(String id, String text) {
        retrying(() -> {
            WebElement field = driver.findElement(By.id(id));
            field.clear();
            field.sendKeys(text);
            return true;
        });
    }

    void tick(String id) {
        retrying(() -> {
            WebElement box = driver.findElement(By.id(id));
            if (!box.isSelected()) {
                box.click();
            }
            return true;
        });
    }

    String text(String id) {
        return retrying(() -> driver.findElement(By.id(id)).getText());
    }

    /** Waits up to 5 s for the element to say {@code expected} (a submitted form may still be loading the next page). */
    void expectText(String id, String expected) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(5), Duration.ofMillis(50))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> expected.equals(d.findElement(By.id(id)).getText()));
        } catch (org.openqa.selenium.TimeoutException e) {
            org.junit.jupiter.api.Assertions.assertEquals(expected, text(id), "#" + id + " on " + driver.getCurrentUrl());
        }
    }

    boolean enabled(String buttonText) {
        return retrying(() -> button(buttonText).isEnabled());
    }

    <T> T retrying(java.util.function.Supplier<T> step) {
        return new WebDriverWait(driver, Duration.ofSeconds(5), Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> java.util.Optional.ofNullable(step.get())).orElse(null);
    }

    <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(condition);
    }

    void width(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full-page screenshot at the given width, whatever the page's height. */
    Path fullPageScreenshot(String name, int width) {
        Object height = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        width(width, Math.min(6000, ((Number) height).intValue() + 120));
        return screenshot(name);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless; the test result is what matters.
        }
    }
}

package dev.rolloutcontroller.support;

import org.jboss.logmanager.ExtLogRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes the log of some categories away from the console while a test provokes a failure on
 * purpose, and keeps the records so the test can assert what was logged: the expected ERROR becomes
 * an assertion instead of noise in the build output. Use with try-with-resources.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final List<Logger> loggers = new ArrayList<>();
    private final List<LogRecord> records = new ArrayList<>();

    private CapturedLog(String... categories) {
        for (String category : categories) {
            Logger logger = Logger.getLogger(category);
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
            loggers.add(logger);
        }
    }

    public static CapturedLog of(String... categories) {
        return new CapturedLog(categories);
    }

    /** Records of the category at the level (JBoss ERROR is SEVERE, WARN is WARNING) whose message contains the text. */
    public synchronized long count(String category, Level level, String containing) {
        return records.stream()
                .filter(r -> r.getLoggerName().equals(category) && r.getLevel().intValue() == level.intValue())
                .filter(r -> formatted(r).contains(containing))
                .count();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.removeHandler(this);
            logger.setUseParentHandlers(true);
        }
    }

    private static String formatted(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        return String.valueOf(record.getMessage());
    }
}

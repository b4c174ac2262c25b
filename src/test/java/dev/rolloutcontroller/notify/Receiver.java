package dev.rolloutcontroller.notify;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on a free local port: records every request, answers with the queued statuses
 * (then 200), or, when hanging, holds every request open until closed.
 */
final class Receiver implements AutoCloseable {

    /** One request as received: the headers (lower-case names) and the exact body. */
    record Request(Map<String, String> headers, byte[] body, int answeredWith) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final boolean hang;

    private Receiver(boolean hang, List<Integer> statuses) {
        this.hang = hang;
        this.statuses.addAll(statuses);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            if (this.hang) {
                requests.add(new Request(headers, body, 0));
                awaitRelease();
                exchange.close();
                return;
            }
            int status = next();
            requests.add(new Request(headers, body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers 200 to everything. */
    static Receiver ok() {
        return new Receiver(false, List.of());
    }

    /** Answers these statuses in turn, then 200. */
    static Receiver answering(Integer... statuses) {
        return new Receiver(false, List.of(statuses));
    }

    /** Never answers until closed. */
    static Receiver hanging() {
        return new Receiver(true, List.of());
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code count} requests arrived; false on timeout. */
    boolean awaitRequests(int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (requests.size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private synchronized int next() {
        Integer status = statuses.poll();
        return status == null ? 200 : status;
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.rolloutcontroller.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code slack} format: a Slack incoming-webhook body with the one-line summary as {@code text}
 * (what notifications and clients without blocks show) and blocks: the summary, the full reason when
 * the summary does not already carry it, and a context line with the type, state, actor, time and link.
 */
public final class SlackMessage {

    private SlackMessage() {
    }

    public static Map<String, Object> of(Notification notification) {
        String summary = escape(notification.summary());
        List<Map<String, Object>> blocks = new ArrayList<>();
        String key = notification.rollout();
        blocks.add(section(key != null && summary.startsWith(key) ? "*" + key + "*" + summary.substring(key.length()) : summary));
        String reason = notification.reason();
        if (reason != null && !reason.isBlank() && !notification.summary().contains(reason)) {
            blocks.add(section("> " + escape(reason)));
        }
        List<String> context = new ArrayList<>();
        context.add("`" + notification.type() + "`");
        if (notification.status() != null) {
            context.add(notification.status() + " at " + notification.step() + " (" + notification.percentage() + "%)");
        }
        context.add(escape(notification.actor()));
        context.add(notification.time());
        String rolloutLink = notification.links() == null ? null : notification.links().get("rollout");
        if (rolloutLink != null && rolloutLink.startsWith("http")) {
            context.add("<" + rolloutLink + "|open rollout>");
        }
        blocks.add(object("type", "context", "elements", List.of(mrkdwn(String.join(" · ", context)))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", summary);
        body.put("blocks", blocks);
        return body;
    }

    /** Slack's three control characters in message text: &amp;, &lt;, &gt;. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, Object> section(String text) {
        return object("type", "section", "text", mrkdwn(text));
    }

    private static Map<String, Object> mrkdwn(String text) {
        return object("type", "mrkdwn", "text", text);
    }

    /** Keys in a fixed order, so the same notification always serialises to the same bytes. */
    private static Map<String, Object> object(String key1, Object value1, String key2, Object value2) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put(key1, value1);
        object.put(key2, value2);
        return object;
    }
}

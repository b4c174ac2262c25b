package dev.rolloutcontroller.notify;

import java.util.List;
import java.util.Locale;

/**
 * {@code rollout.webhooks.allowed-hosts}: exact host names, or {@code *.example.com} for any subdomain of
 * example.com. Without a list every host is allowed, but only a host the list names may point at a
 * private or local address (see {@link WebhookAddressPolicy}).
 */
public record HostAllowList(List<String> patterns) {

    public HostAllowList {
        patterns = patterns == null ? null : patterns.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
    }

    public boolean allows(String host) {
        return patterns == null || names(host);
    }

    /** Whether the list names this host explicitly (false without a list). */
    public boolean names(String host) {
        if (patterns == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(pattern -> pattern.startsWith("*.")
                ? name.endsWith(pattern.substring(1)) && name.length() > pattern.length() - 1
                : name.equals(pattern));
    }
}

package dev.rolloutcontroller.notify;

import java.util.List;
import java.util.Locale;

/**
 * {@code rollout.webhooks.allowed-hosts}: exact host names, or {@code *.example.com} for any subdomain of
 * example.com. Without a list every host is allowed.
 */
public record HostAllowList(List<String> patterns) {

    public HostAllowList {
        patterns = patterns == null ? null : patterns.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
    }

    public boolean allows(String host) {
        if (patterns == null) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(pattern -> pattern.startsWith("*.")
                ? name.endsWith(pattern.substring(1)) && name.length() > pattern.length() - 1
                : name.equals(pattern));
    }
}

package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.config.RolloutConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may go: a host {@code rollout.webhooks.allowed-hosts} accepts, at a public unicast
 * address. A subscription carries a URL anyone with the admin role chose, and the service sends from
 * inside the network, so without this a webhook reads the cloud metadata service or pokes an internal
 * admin port. A host the allow-list names explicitly may be anywhere (a receiver on the same
 * machine, an internal chat gateway): naming it is the operator's decision. Checked twice: the URL as
 * written when subscribing (no DNS), and every address its host resolves to before each delivery,
 * since DNS can change after the subscription was accepted. See docs/decisions/0006.
 */
@ApplicationScoped
public class WebhookAddressPolicy {

    /** Resolves a host name to all its addresses (DNS, /etc/hosts); replaced in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Names that mean this machine or the cloud's metadata service wherever they are resolved. */
    private static final List<String> INTERNAL_NAMES = List.of("localhost", "metadata", "metadata.goog", "instance-data");
    /** Reserved suffixes: {@code .localhost} (RFC 6761) and {@code .internal} (metadata.google.internal, *.ec2.internal). */
    private static final List<String> INTERNAL_SUFFIXES = List.of(".localhost", ".internal");
    private static final String HOW_TO_OPEN = "webhooks go to public addresses only, unless rollout.webhooks.allowed-hosts names the host";

    private final HostAllowList allowList;
    private final Resolver resolver;

    @Inject
    WebhookAddressPolicy(RolloutConfig config) {
        this(new HostAllowList(config.webhooks().allowedHosts().orElse(null)), InetAddress::getAllByName);
    }

    WebhookAddressPolicy(HostAllowList allowList, Resolver resolver) {
        this.allowList = allowList;
        this.resolver = resolver;
    }

    /** Why a subscription to this host is refused, judged from the host as written (never asks DNS). */
    public Optional<String> refusal(String host) {
        if (!allowList.allows(host)) {
            return Optional.of("host '" + host + "' is not in rollout.webhooks.allowed-hosts");
        }
        if (allowList.names(host)) {
            return Optional.empty();
        }
        Optional<InetAddress> literal = InternetAddresses.parseLiteral(host);
        if (literal.isPresent()) {
            return InternetAddresses.nonPublicKind(literal.get()).map(kind -> describe(host, literal.get(), kind));
        }
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (INTERNAL_NAMES.contains(name) || INTERNAL_SUFFIXES.stream().anyMatch(name::endsWith)) {
            return Optional.of("'" + host + "' names this machine or an internal service; " + HOW_TO_OPEN);
        }
        return Optional.empty();
    }

    /**
     * Why a delivery to this host is refused now: the checks of {@link #refusal}, then every address the
     * host resolves to must be public (any one could be the one connected to).
     */
    public Optional<String> refusalAfterResolving(String host) {
        Optional<String> refusal = refusal(host);
        if (refusal.isPresent() || allowList.names(host)) {
            return refusal;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(InternetAddresses.parseLiteral(host).map(InetAddress::getHostAddress).orElse(host));
        } catch (UnknownHostException e) {
            return Optional.of("host '" + host + "' could not be resolved");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = InternetAddresses.nonPublicKind(address);
            if (kind.isPresent()) {
                return Optional.of("host '" + host + "' resolves to " + address.getHostAddress() + ", a " + kind.get()
                        + " address; " + HOW_TO_OPEN);
            }
        }
        return Optional.empty();
    }

    private static String describe(String host, InetAddress address, String kind) {
        String written = host.equals(address.getHostAddress()) ? "" : " (written '" + host + "')";
        return address.getHostAddress() + written + " is a " + kind + " address; " + HOW_TO_OPEN;
    }
}

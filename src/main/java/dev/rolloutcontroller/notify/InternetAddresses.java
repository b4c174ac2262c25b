package dev.rolloutcontroller.notify;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an address literal the way the system resolver would, and names the kind of a non-public address.
 * The resolver (glibc's {@code inet_aton}) accepts far more than dotted quads: {@code 2130706433},
 * {@code 0x7f000001}, {@code 0177.0.0.1} and {@code 127.1} all mean 127.0.0.1, so a check that only knows
 * {@code 127.0.0.1} is no check. No method here ever asks DNS.
 */
final class InternetAddresses {

    private InternetAddresses() {
    }

    /** The address a host written as a literal stands for; empty for a host name. */
    static Optional<InetAddress> parseLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return parseIpv6(host.substring(1, host.length() - 1));
        }
        return parseIpv4(host);
    }

    /**
     * Why a webhook may not be sent to this address ("loopback", "private", ...), or empty for a public
     * unicast address. IPv6 addresses that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
     * judged by the address they carry.
     */
    static Optional<String> nonPublicKind(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return ipv4Kind(v4.getAddress());
        }
        byte[] b = address.getAddress();
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("site-local");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("unique-local");
        }
        if (isZero(b, 0, 12) || isMapped(b)) {
            return ipv4Kind(Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
            return ipv4Kind(Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4Kind(Arrays.copyOfRange(b, 2, 6));
        }
        return Optional.empty();
    }

    private static Optional<String> ipv4Kind(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return Optional.of("unspecified");
        }
        if (first == 127) {
            return Optional.of("loopback");
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return Optional.of("private");
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return Optional.of("carrier-grade NAT");
        }
        if (first == 169 && second == 254) {
            return Optional.of("link-local");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("multicast");
        }
        if (first >= 240) {
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    /**
     * One to four parts, each decimal, octal (leading 0) or hex (0x); the last part fills the bytes the
     * others leave: {@code 127.1} is 127.0.0.1, {@code 2130706433} is one 32-bit number. A trailing dot
     * (the DNS root) is allowed, as the resolver allows it.
     */
    private static Optional<InetAddress> parseIpv4(String host) {
        String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> value = number(parts[i]);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values[i] = value.get();
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            return Optional.empty();
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return Optional.of(byAddress(bytes));
    }

    private static Optional<Long> number(String part) {
        String text = part.toLowerCase(Locale.ROOT);
        int radix = 10;
        if (text.startsWith("0x")) {
            radix = 16;
            text = text.substring(2);
        } else if (text.length() > 1 && text.startsWith("0")) {
            radix = 8;
            text = text.substring(1);
        }
        if (text.isEmpty() || text.length() > 11) {
            return Optional.empty();
        }
        for (char c : text.toCharArray()) {
            if (Character.digit(c, radix) < 0 || c > 'f') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(text, radix));
    }

    /** The zone ({@code %eth0}, {@code %25eth0} in a URL) names an interface, not a different address. */
    private static Optional<InetAddress> parseIpv6(String literal) {
        int zone = literal.indexOf('%');
        String address = zone < 0 ? literal : literal.substring(0, zone);
        if (address.isEmpty() || !address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        try {
            // Brackets make InetAddress parse the text as an IPv6 literal and never resolve it.
            return Optional.of(InetAddress.getByName("[" + address + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMapped(byte[] b) {
        return isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}

package dev.rolloutcontroller.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every spelling of a non-public address is refused; public ones and hosts the allow-list names are not. */
class WebhookAddressPolicyTest {

    /** Without an allow-list, and a resolver that knows only the names of this table. */
    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.slack.com", List.of("54.192.1.10"),
            "rebound.example.com", List.of("93.184.215.14", "10.0.0.7"),
            "sneaky.example.com", List.of("169.254.169.254"),
            "v6.example.com", List.of("2606:4700::6810:84e5"),
            "mapped.example.com", List.of("::ffff:192.168.1.1"));

    private final WebhookAddressPolicy open = new WebhookAddressPolicy(new HostAllowList(null), WebhookAddressPolicyTest::resolve);

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                 | loopback
            127.1                     | loopback
            127.0.0.1.                | loopback
            2130706433                | loopback
            0x7f000001                | loopback
            0X7F.0.0.1                | loopback
            0177.0.0.1                | loopback
            0177.0.0.01               | loopback
            127.255.255.254           | loopback
            [::1]                     | loopback
            [0:0:0:0:0:0:0:1]         | loopback
            [::ffff:127.0.0.1]        | loopback
            [::ffff:7f00:1]           | loopback
            [::127.0.0.1]             | loopback
            [64:ff9b::127.0.0.1]      | loopback
            [2002:7f00:1::]           | loopback
            0.0.0.0                   | unspecified
            0                         | unspecified
            [::]                      | unspecified
            10.0.0.1                  | private
            012.0.0.1                 | private
            167772161                 | private
            172.16.0.1                | private
            172.31.255.255            | private
            192.168.0.1               | private
            0xc0a80001                | private
            [::ffff:192.168.0.1]      | private
            [::ffff:10.1.2.3]         | private
            100.64.0.1                | carrier-grade NAT
            100.127.255.255           | carrier-grade NAT
            169.254.169.254           | link-local
            0xa9fea9fe                | link-local
            2852039166                | link-local
            [fe80::1]                 | link-local
            [fe80::1%25eth0]          | link-local
            [fc00::1]                 | unique-local
            [fd12:3456:789a::1]       | unique-local
            [fec0::1]                 | site-local
            224.0.0.1                 | multicast
            239.255.255.250           | multicast
            [ff02::1]                 | multicast
            255.255.255.255           | reserved
            240.0.0.1                 | reserved
            """)
    void shouldRefuseEverySpellingOfANonPublicAddress(String host, String kind) {
        Optional<String> refusal = open.refusal(host);
        assertTrue(refusal.isPresent(), host + " was accepted");
        assertTrue(refusal.get().contains("a " + kind + " address"), refusal.get());
        assertEquals(refusal, open.refusalAfterResolving(host), "a literal is judged the same at delivery");
    }

    @ParameterizedTest(name = "{0} is refused by name")
    @CsvSource(textBlock = """
            localhost
            LOCALHOST.
            api.localhost
            metadata.google.internal
            metadata.goog
            metadata
            instance-data
            ip-10-0-0-1.ec2.internal
            """)
    void shouldRefuseNamesOfThisMachineAndTheMetadataService(String host) {
        assertTrue(open.refusal(host).orElse("").contains("names this machine or an internal service"), host);
    }

    @ParameterizedTest(name = "{0} is accepted")
    @CsvSource(textBlock = """
            hooks.slack.com
            93.184.215.14
            172.15.255.255
            172.32.0.1
            100.63.255.255
            100.128.0.1
            169.253.1.1
            11.0.0.1
            1.2.3
            [2606:4700::6810:84e5]
            [2001:db8::1]
            v6.example.com
            """)
    void shouldAcceptPublicAddresses(String host) {
        assertEquals(Optional.empty(), open.refusal(host), host);
        assertEquals(Optional.empty(), open.refusalAfterResolving(host), host);
    }

    @ParameterizedTest(name = "{0} resolving to {1} is refused at delivery")
    @CsvSource(delimiter = '|', textBlock = """
            rebound.example.com  | 10.0.0.7        | private
            sneaky.example.com   | 169.254.169.254 | link-local
            mapped.example.com   | 192.168.1.1     | private
            """)
    void shouldRefuseAtDeliveryAHostThatResolvesToANonPublicAddress(String host, String address, String kind) {
        assertEquals(Optional.empty(), open.refusal(host), "accepted when subscribing: no DNS then");
        assertEquals(Optional.of("host '" + host + "' resolves to " + address + ", a " + kind + " address; "
                        + "webhooks go to public addresses only, unless rollout.webhooks.allowed-hosts names the host"),
                open.refusalAfterResolving(host));
    }

    @Test
    void shouldRefuseAtDeliveryAHostThatDoesNotResolve() {
        assertEquals(Optional.of("host 'gone.example.com' could not be resolved"), open.refusalAfterResolving("gone.example.com"));
    }

    @Test
    void shouldLetTheAllowListOpenAHostExplicitly() {
        WebhookAddressPolicy listed = new WebhookAddressPolicy(
                new HostAllowList(List.of("127.0.0.1", "localhost", "sneaky.example.com", "*.corp.example")),
                WebhookAddressPolicyTest::resolve);

        for (String host : List.of("127.0.0.1", "localhost", "sneaky.example.com", "chat.corp.example")) {
            assertEquals(Optional.empty(), listed.refusal(host), host);
            assertEquals(Optional.empty(), listed.refusalAfterResolving(host), host);
        }
        assertEquals(Optional.of("host '0x7f000001' is not in rollout.webhooks.allowed-hosts"), listed.refusal("0x7f000001"));
        assertEquals(Optional.of("host 'hooks.slack.com' is not in rollout.webhooks.allowed-hosts"), listed.refusal("hooks.slack.com"));
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return new InetAddress[]{InetAddress.getByName(host.contains(":") ? "[" + host + "]" : host)};
        }
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            String address = addresses.get(i);
            resolved[i] = InetAddress.getByName(address.contains(":") ? "[" + address + "]" : address);
        }
        return resolved;
    }
}

import net from 'node:net';

/**
 * Which addresses destination traffic may reach (SSRF guard, SPEC §1 `SOJOURN_ALLOWED_NETWORKS`).
 * Everything public is allowed; private, loopback, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, multicast and reserved ranges are forbidden unless an allowed network covers them.
 */
const FORBIDDEN: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata services
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved and broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'], // NAT64 can embed any IPv4 address
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

export class EgressPolicy {
  private readonly forbidden = new net.BlockList();
  private readonly allowed = new net.BlockList();

  /** `allowedNetworks`: CIDRs (`10.1.0.0/16`, `::1/128`) or single addresses that may be reached although private. */
  constructor(readonly allowedNetworks: readonly string[]) {
    for (const [address, prefix, family] of FORBIDDEN) this.forbidden.addSubnet(address, prefix, family);
    for (const cidr of allowedNetworks) {
      const [address = '', prefixText] = cidr.split('/');
      const family = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : undefined;
      if (!family) throw new Error(`SOJOURN_ALLOWED_NETWORKS: "${cidr}" is not an IP network`);
      const prefix = prefixText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) {
        throw new Error(`SOJOURN_ALLOWED_NETWORKS: "${cidr}" has an invalid prefix length`);
      }
      this.allowed.addSubnet(address, prefix, family);
    }
  }

  /** Why `address` (an IP literal) may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined {
    const ip = unwrapMappedIpv4(stripBrackets(address));
    const family = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : undefined;
    if (!family) return `"${address}" is not an IP address`;
    if (this.allowed.check(ip, family)) return undefined;
    if (this.forbidden.check(ip, family)) {
      return `${ip} is a private, loopback or link-local address (allow it with SOJOURN_ALLOWED_NETWORKS)`;
    }
    return undefined;
  }
}

function stripBrackets(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}

/** `::ffff:10.0.0.1` reaches 10.0.0.1: judge it as the IPv4 address it is. */
function unwrapMappedIpv4(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1] as string;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const hi = parseInt(hex[1] as string, 16);
    const lo = parseInt(hex[2] as string, 16);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return address;
}

export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
}

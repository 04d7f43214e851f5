/**
 * Pod IPs of one node, handed out from its pod CIDR (an IPv4 range, like host-local IPAM behind
 * the kubelet's CNI plugin): the network address and the gateway (network + 1) are never handed
 * out, nor the broadcast address; allocation goes round robin from the last address handed out
 * (host-local's order: a released address is not reused at once).
 *
 * Contract:
 * - `reserve(owner, ip)` claims a given address for an owner (an agent restart re-adopts the IPs
 *   its running pods already report, so allocations are stable); it returns false when the IP is
 *   outside the range or held by another owner.
 * - `allocate(owner)` returns the owner's address (the same one on every call until `release`),
 *   or undefined when the range is exhausted.
 */

export interface PodIpAllocator {
  readonly cidr: string;
  allocate(owner: string): string | undefined;
  reserve(owner: string, ip: string): boolean;
  release(owner: string): void;
  /** The address an owner holds, if any. */
  addressOf(owner: string): string | undefined;
  readonly size: number;
}

/** IPv4 dotted quad → 32-bit unsigned number, or undefined. */
export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses `a.b.c.d/n` (IPv4, prefix 8..30); throws a usage error otherwise. */
export function parseCidr(cidr: string): { network: number; prefix: number } {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(cidr.trim());
  const base = m ? parseIPv4(m[1]!) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (base === undefined || !(prefix >= 8 && prefix <= 30)) throw new Error(`invalid pod CIDR ${JSON.stringify(cidr)}: want an IPv4 range a.b.c.d/n with 8 <= n <= 30`);
  const hostBits = 32 - prefix;
  const network = Math.floor(base / 2 ** hostBits) * 2 ** hostBits;
  return { network, prefix };
}

export function createPodIpAllocator(cidr: string): PodIpAllocator {
  const { network, prefix } = parseCidr(cidr);
  const first = network + 2;
  const last = network + 2 ** (32 - prefix) - 2;
  const byOwner = new Map<string, number>();
  const byAddress = new Map<number, string>();
  let cursor = first;

  return {
    cidr: `${formatIPv4(network)}/${prefix}`,
    allocate(owner) {
      const held = byOwner.get(owner);
      if (held !== undefined) return formatIPv4(held);
      const total = last - first + 1;
      for (let i = 0; i < total; i++) {
        const candidate = first + ((cursor - first + i) % total);
        if (byAddress.has(candidate)) continue;
        byOwner.set(owner, candidate);
        byAddress.set(candidate, owner);
        cursor = candidate + 1 > last ? first : candidate + 1;
        return formatIPv4(candidate);
      }
      return undefined;
    },
    reserve(owner, ip) {
      const n = parseIPv4(ip);
      if (n === undefined || n < first || n > last) return false;
      const holder = byAddress.get(n);
      if (holder !== undefined) return holder === owner;
      const previous = byOwner.get(owner);
      if (previous !== undefined) byAddress.delete(previous);
      byOwner.set(owner, n);
      byAddress.set(n, owner);
      return true;
    },
    release(owner) {
      const n = byOwner.get(owner);
      if (n === undefined) return;
      byOwner.delete(owner);
      byAddress.delete(n);
    },
    addressOf(owner) {
      const n = byOwner.get(owner);
      return n === undefined ? undefined : formatIPv4(n);
    },
    get size() {
      return byOwner.size;
    },
  };
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPodIpAllocator, parseCidr } from './agent-pod-ips.js';

describe('pod IP allocator', () => {
  it('hands out addresses from network+2 round robin, stable per owner', () => {
    const ips = createPodIpAllocator('10.244.0.0/24');
    assert.equal(ips.allocate('a'), '10.244.0.2');
    assert.equal(ips.allocate('b'), '10.244.0.3');
    assert.equal(ips.allocate('a'), '10.244.0.2');
    ips.release('a');
    assert.equal(ips.allocate('c'), '10.244.0.4', 'a released address is not reused at once');
    assert.equal(ips.addressOf('b'), '10.244.0.3');
    assert.equal(ips.size, 2);
  });

  it('reserves the addresses running pods report (agent restart) and skips them', () => {
    const ips = createPodIpAllocator('10.1.2.128/30');
    assert.equal(ips.cidr, '10.1.2.128/30');
    assert.equal(ips.reserve('old', '10.1.2.130'), true);
    assert.equal(ips.reserve('other', '10.1.2.130'), false, 'held by another owner');
    assert.equal(ips.reserve('x', '10.1.3.1'), false, 'outside the range');
    assert.equal(ips.reserve('x', '10.1.2.131'), false, 'broadcast');
    assert.equal(ips.allocate('new'), undefined, 'a /30 has one usable address after the gateway');
    ips.release('old');
    assert.equal(ips.allocate('new'), '10.1.2.130');
  });

  it('rejects what is not an IPv4 CIDR', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/31', '10.0.0.256/24', 'fd00::/64', 'x/8']) {
      assert.throws(() => parseCidr(bad), /invalid pod CIDR/, bad);
    }
    assert.deepEqual(parseCidr('10.0.0.7/24'), { network: 0x0a000000, prefix: 24 });
  });
});

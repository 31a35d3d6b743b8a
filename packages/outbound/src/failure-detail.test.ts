import { describe, expect, it } from 'vitest';
import { outboundFailureDetail } from './failure-detail';
import { OutboundRefused } from './outbound-error';

const withCode = (code: string) => Object.assign(new Error('connect failed 10.0.0.1:443'), { code });

describe('outboundFailureDetail', () => {
  it('names the refusal, carried directly or as a fetch failure cause', () => {
    expect(outboundFailureDetail(new OutboundRefused('OUTBOUND_ADDRESS_BLOCKED'))).toBe('OUTBOUND_ADDRESS_BLOCKED');
    const wrapped = new TypeError('fetch failed', { cause: new OutboundRefused('OUTBOUND_REDIRECT_REFUSED') });
    expect(outboundFailureDetail(wrapped)).toBe('OUTBOUND_REDIRECT_REFUSED');
  });

  it('a timeout or abort is TIMEOUT', () => {
    expect(outboundFailureDetail(new DOMException('timed out', 'TimeoutError'))).toBe('TIMEOUT');
    expect(outboundFailureDetail(new TypeError('fetch failed', { cause: new DOMException('x', 'AbortError') }))).toBe(
      'TIMEOUT',
    );
  });

  it('the system error code of the error or a cause, never its message', () => {
    expect(outboundFailureDetail(new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }))).toBe(
      'ECONNREFUSED',
    );
    expect(outboundFailureDetail(withCode('not a code: has spaces'))).toBe('NETWORK_ERROR');
    expect(outboundFailureDetail('a string')).toBe('NETWORK_ERROR');
  });
});

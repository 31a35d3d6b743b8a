import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics-registry';

describe('metrics registry', () => {
  it('renders counters, gauges and cumulative histogram buckets in Prometheus text format', async () => {
    const r = new MetricsRegistry();
    const c = r.counter('x_total', 'x');
    const g = r.gauge('lag', 'lag');
    const h = r.histogram('lat_seconds', 'latency', [0.01, 0.1]);
    c.inc({ a: 'q"1' });
    c.inc({ a: 'q"1' }, 2);
    r.onCollect(async () => g.set({ projection: 'core' }, 7));
    h.observe({ route: '/r' }, 0.005);
    h.observe({ route: '/r' }, 0.05);
    h.observe({ route: '/r' }, 3);
    const text = await r.render();
    expect(text).toContain('# TYPE x_total counter\nx_total{a="q\\"1"} 3');
    expect(text).toContain('lag{projection="core"} 7');
    expect(text).toContain('lat_seconds_bucket{le="0.01",route="/r"} 1');
    expect(text).toContain('lat_seconds_bucket{le="0.1",route="/r"} 2');
    expect(text).toContain('lat_seconds_bucket{le="+Inf",route="/r"} 3');
    expect(text).toContain('lat_seconds_count{route="/r"} 3');
  });
});

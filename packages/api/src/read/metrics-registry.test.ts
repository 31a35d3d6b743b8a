import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics-registry';

describe('metrics registry', () => {
  it('renders counters, gauges and cumulative histogram buckets in Prometheus text format', async () => {
    const r = new MetricsRegistry({ defaultMetrics: false });
    const c = r.counter('x_total', 'x', ['a']);
    const g = r.gauge('lag', 'lag', ['projection']);
    const h = r.histogram('lat_seconds', 'latency', ['route'], [0.01, 0.1]);
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
    expect(text).not.toContain('process_cpu_user_seconds_total');
    expect(r.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('runs the collectors in order before each scrape', async () => {
    const r = new MetricsRegistry({ defaultMetrics: false });
    const g = r.gauge('scrapes', 'scrapes');
    let n = 0;
    r.onCollect(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      n += 1;
    });
    r.onCollect(async () => g.set(n));
    expect(await r.render()).toContain('scrapes 1');
    expect(await r.render()).toContain('scrapes 2');
  });

  it('includes Node’s default process metrics once, beside each app’s own (two registries do not clash)', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.gauge('recon_test_up', 'up').set(1);
    b.gauge('recon_test_up', 'up').set(1);
    for (const r of [a, b]) {
      const text = await r.render();
      expect(text.match(/^# TYPE process_cpu_user_seconds_total counter$/gm)).toHaveLength(1);
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
      expect(text).toContain('\n# HELP recon_test_up up\n# TYPE recon_test_up gauge\nrecon_test_up 1\n');
    }
  });
});

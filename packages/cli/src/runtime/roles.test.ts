import { describe, expect, it } from 'vitest';
import { parseRoles, routeGroupsFor, servesHttp } from './roles';

describe('parseRoles', () => {
  it('defaults to every role', () => {
    for (const text of [undefined, '', 'all', ' , ']) {
      const r = parseRoles(text);
      expect(r.ok && [...r.value].sort()).toEqual(['api', 'ingest', 'projections', 'scheduler']);
    }
  });

  it('takes a comma-separated subset and refuses unknown names', () => {
    const r = parseRoles(' api , ingest,api');
    expect(r.ok && [...r.value]).toEqual(['api', 'ingest']);
    expect(r.ok && servesHttp(r.value)).toBe(true);
    const background = parseRoles('projections,scheduler');
    expect(background.ok && servesHttp(background.value)).toBe(false);
    expect(parseRoles('api,web')).toEqual({ ok: false, code: 'ROLE_UNKNOWN', role: 'web' });
  });
});

describe('routeGroupsFor', () => {
  it('serves every route group in each HTTP role and none in background-only processes', () => {
    const all = ['leads', 'notifications', 'read', 'reconcile', 'webhooks', 'workspaces'];
    for (const roles of [['api'], ['ingest'], ['api', 'ingest'], ['api', 'projections', 'scheduler']] as const)
      expect([...routeGroupsFor(new Set(roles))].sort()).toEqual(all);
    expect([...routeGroupsFor(new Set(['projections', 'scheduler']))]).toEqual([]);
  });
});
